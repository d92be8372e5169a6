import {
  addDays,
  centsToYuan,
  isCalendarDay,
  isInstantWithOffset,
  localDay,
  startOfLocalDay,
  yuanToCents,
} from './time';

describe('time helpers', () => {
  it('should accept instants with an offset and refuse those without', () => {
    expect(isInstantWithOffset('2026-12-01T19:30:00+08:00')).toBe(true);
    expect(isInstantWithOffset('2026-12-01T11:30:00.123Z')).toBe(true);
    expect(isInstantWithOffset('2026-12-01T19:30:00')).toBe(false);
    expect(isInstantWithOffset('tomorrow')).toBe(false);
  });

  it('should accept real calendar days only', () => {
    expect(isCalendarDay('2026-02-28')).toBe(true);
    expect(isCalendarDay('2026-02-30')).toBe(false);
    expect(isCalendarDay('2026-2-3')).toBe(false);
  });

  it('should put 23:30 Shanghai time on its local day, not the UTC one', () => {
    const lateShow = new Date('2026-12-01T23:30:00+08:00');
    expect(localDay(lateShow, 'Asia/Shanghai')).toBe('2026-12-01');
    expect(localDay(lateShow, 'UTC')).toBe('2026-12-01');
    expect(localDay(new Date('2026-12-01T00:30:00+08:00'), 'UTC')).toBe('2026-11-30');
  });

  it('should find the instant a local day starts', () => {
    expect(startOfLocalDay('2026-12-01', 'Asia/Shanghai').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(startOfLocalDay('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });

  it('should convert money through integer cents', () => {
    expect(yuanToCents(45.5)).toBe(4550);
    expect(yuanToCents(0.1 + 0.2)).toBe(30);
    expect(centsToYuan(4550)).toBe(45.5);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
