import { splitByWeight, sumSalesByZone } from './zone-revenue';

describe('splitByWeight', () => {
  it('should split in proportion, giving the leftover cents to the largest remainders', () => {
    // 11550 × 8000 / 12550 = 7362.55, × 4550 / 12550 = 4187.45: the one cent left goes to the first.
    expect(splitByWeight(11550, [8000, 4550])).toEqual([7363, 4187]);
  });

  it('should give equal remainders to the earlier parts first', () => {
    expect(splitByWeight(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });

  it('should always sum to the total', () => {
    const weights = [4550, 8000, 3550, 8000, 1, 4550];
    for (const total of [1, 99, 12345, 28651]) {
      expect(splitByWeight(total, weights).reduce((sum, part) => sum + part, 0)).toBe(total);
    }
  });

  it('should count zero weights as equal and answer nothing for no weights', () => {
    expect(splitByWeight(5, [0, 0])).toEqual([3, 2]);
    expect(splitByWeight(5, [])).toEqual([]);
  });
});

describe('sumSalesByZone', () => {
  it('should share an order’s voucher discount across its zones so that they sum to its amount', () => {
    const order = {
      seats: [
        { row: 1, col: 1, zone: 'VIP', priceCents: 8000 },
        { row: 2, col: 1, zone: 'standard', priceCents: 4550 },
      ],
      unitPriceCents: 4550,
      amountCents: 11550,
    };
    expect(sumSalesByZone([order])).toEqual([
      { zone: 'VIP', ticketCount: 1, revenueCents: 7363 },
      { zone: 'standard', ticketCount: 1, revenueCents: 4187 },
    ]);
  });

  it('should count seats sold before zones as standard at the order’s unit price', () => {
    const legacy = {
      seats: [
        { row: 1, col: 1 },
        { row: 1, col: 2 },
      ],
      unitPriceCents: 3990,
      amountCents: 7980,
    };
    const zoned = {
      seats: [{ row: 3, col: 3, zone: 'standard', priceCents: 4550 }],
      unitPriceCents: 4550,
      amountCents: 4550,
    };
    expect(sumSalesByZone([legacy, zoned])).toEqual([{ zone: 'standard', ticketCount: 3, revenueCents: 12530 }]);
  });

  it('should order by revenue, highest first, then by zone name', () => {
    const seat = (zone: string) => ({ row: 1, col: 1, zone, priceCents: 1000 });
    const order = { seats: [seat('b'), seat('a'), seat('c'), seat('c')], unitPriceCents: 1000, amountCents: 4000 };
    expect(sumSalesByZone([order]).map((row) => row.zone)).toEqual(['c', 'a', 'b']);
  });
});
