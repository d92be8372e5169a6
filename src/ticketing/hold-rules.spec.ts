import type { SaleContext } from '../schedules/schedule-sales.service';
import { assertCouplesWhole, assertNoSingleGap, priceSeats } from './hold-rules';

const context = (over: Partial<SaleContext> = {}) =>
  ({
    rows: 2,
    cols: 6,
    disabledSeats: [{ row: 2, col: 6 }],
    zones: [{ name: 'VIP', seats: [{ row: 1, col: 3 }] }],
    couples: [{ row: 2, col: 1 }],
    priceCents: 4550,
    zonePrices: { VIP: 8000 },
    ticketTypes: [{ name: 'student', discountCents: 1000 }],
    noSingleSeatGap: true,
    ...over,
  }) as SaleContext;
const codeOf = (work: () => void) => {
  try {
    work();
    return null;
  } catch (error) {
    return (error as { result: { code: number } }).result.code;
  }
};
const row1 = (...cols: number[]) => cols.map((col) => ({ row: 1, col }));

describe('hold rules', () => {
  it('should price a seat by its zone less its ticket type, and refuse an unknown type with 1002', () => {
    expect(
      priceSeats(context(), [
        { row: 1, col: 3, ticketType: 'student' },
        { row: 1, col: 4 },
      ]),
    ).toEqual([
      { row: 1, col: 3, zone: 'VIP', ticketType: 'student', priceCents: 7000 },
      { row: 1, col: 4, zone: 'standard', ticketType: null, priceCents: 4550 },
    ]);
    expect(codeOf(() => priceSeats(context(), [{ row: 1, col: 1, ticketType: 'senior' }]))).toBe(1002);
  });

  it('should hold a couple pair only whole (2011)', () => {
    expect(codeOf(() => assertCouplesWhole(context(), [{ row: 2, col: 1 }]))).toBe(2011);
    expect(
      codeOf(() =>
        assertCouplesWhole(context(), [
          { row: 2, col: 2 },
          { row: 2, col: 3 },
        ]),
      ),
    ).toBe(2011);
    expect(
      codeOf(() =>
        assertCouplesWhole(context(), [
          { row: 2, col: 1 },
          { row: 2, col: 2 },
        ]),
      ),
    ).toBeNull();
  });

  it('should refuse a new single gap, counting row ends, disabled, taken and the hold itself (2013)', () => {
    const none = new Set<string>();
    expect(codeOf(() => assertNoSingleGap(context(), none, row1(2)))).toBe(2013);
    expect(codeOf(() => assertNoSingleGap(context(), none, row1(1, 2)))).toBeNull();
    expect(codeOf(() => assertNoSingleGap(context(), new Set(['1-5']), row1(3)))).toBe(2013);
    // Row 2's last seat is disabled: taking 2-4 strands 2-5.
    expect(codeOf(() => assertNoSingleGap(context(), none, [{ row: 2, col: 4 }]))).toBe(2013);
    // 1-1 was alone already (1-2 taken): the hold makes no new gap.
    expect(codeOf(() => assertNoSingleGap(context(), new Set(['1-2']), row1(3, 4, 5, 6)))).toBeNull();
    expect(codeOf(() => assertNoSingleGap(context({ noSingleSeatGap: false }), none, row1(2)))).toBeNull();
  });
});
