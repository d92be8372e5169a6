import { clashBounds, slotsOverlap, withinClashBounds } from './showtime-slot';

const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00+08:00`);
const slot = (start: string, end: string) => ({ startsAt: at(start), endsAt: at(end) });

describe('showtime overlap rule', () => {
  const existing = slot('14:00', '16:00');

  it('should refuse a showtime starting inside another', () => {
    expect(slotsOverlap(slot('15:00', '17:00'), existing, 15)).toBe(true);
  });

  it('should refuse a showtime starting during the cleaning gap', () => {
    expect(slotsOverlap(slot('16:14', '18:00'), existing, 15)).toBe(true);
  });

  it('should accept a showtime starting exactly when the cleaning ends', () => {
    expect(slotsOverlap(slot('16:15', '18:00'), existing, 15)).toBe(false);
  });

  it('should refuse a showtime whose own cleaning runs into the next start', () => {
    expect(slotsOverlap(slot('11:50', '13:50'), existing, 15)).toBe(true);
    expect(slotsOverlap(slot('11:45', '13:45'), existing, 15)).toBe(false);
  });

  it('should refuse a showtime enclosing another', () => {
    expect(slotsOverlap(slot('13:00', '17:00'), existing, 0)).toBe(true);
  });

  it('should let the database bounds agree with the rule', () => {
    const candidates = [slot('15:00', '17:00'), slot('16:14', '18:00'), slot('16:15', '18:00'), slot('11:45', '13:45')];
    for (const candidate of candidates) {
      expect(withinClashBounds(existing, clashBounds(candidate, 15))).toBe(slotsOverlap(candidate, existing, 15));
    }
  });
});
