import { effectiveStatus, refundRefusal } from './order-status';

describe('refundRefusal', () => {
  const startsAt = new Date('2026-12-01T12:00:00.000Z');
  const paid = { status: 'paid' as const, checkedInAt: null };
  const minutesBefore = (m: number) => new Date(startsAt.getTime() - m * 60_000);

  it('should allow a paid ticket before the cutoff', () => {
    expect(refundRefusal(paid, startsAt, minutesBefore(31), 30)).toBeNull();
    expect(refundRefusal(paid, startsAt, new Date(minutesBefore(30).getTime() - 1), 30)).toBeNull();
  });

  it('should refuse from the cutoff instant on', () => {
    expect(refundRefusal(paid, startsAt, minutesBefore(30), 30)).toMatch(/30 minutes/);
    expect(refundRefusal(paid, startsAt, minutesBefore(1), 30)).toMatch(/30 minutes/);
    expect(refundRefusal(paid, startsAt, minutesBefore(-5), 0)).toMatch(/0 minutes/);
  });

  it('should refuse an order that is not paid, and a checked-in ticket', () => {
    expect(refundRefusal({ status: 'pending', checkedInAt: null }, startsAt, minutesBefore(600), 30)).toMatch(/paid/);
    expect(refundRefusal({ status: 'refunded', checkedInAt: null }, startsAt, minutesBefore(600), 30)).toMatch(/paid/);
    expect(refundRefusal({ ...paid, checkedInAt: minutesBefore(700) }, startsAt, minutesBefore(600), 30)).toMatch(
      /checked-in/,
    );
  });
});

describe('effectiveStatus', () => {
  it('should read a pending order as expired from its expiresAt on', () => {
    const expiresAt = new Date('2026-12-01T12:00:00.000Z');
    expect(effectiveStatus({ status: 'pending', expiresAt }, new Date(expiresAt.getTime() - 1))).toBe('pending');
    expect(effectiveStatus({ status: 'pending', expiresAt }, expiresAt)).toBe('expired');
    expect(effectiveStatus({ status: 'paid', expiresAt }, new Date(expiresAt.getTime() + 1))).toBe('paid');
  });
});
