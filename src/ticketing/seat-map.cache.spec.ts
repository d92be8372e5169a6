import { SeatMapCache } from './seat-map.cache';
import type { SeatMapStamp } from './seat-map.repository';

const stamp = (over: Partial<SeatMapStamp> = {}): SeatMapStamp => ({
  version: 3,
  priceCents: 4500,
  rows: 2,
  cols: 2,
  disabledSeats: '[]',
  pricing: '\u0000\u0000\u0000',
  ...over,
});
const map = (text = 'x', validUntil = Infinity) => ({ body: Buffer.from(text), validUntil });

describe('SeatMapCache', () => {
  it('should serve an entry only under the stamp it was built with', () => {
    const cache = new SeatMapCache();
    cache.set(1, stamp(), map('map'));
    expect(cache.get(1, stamp(), 0)?.body.toString()).toBe('map');
    expect(cache.get(1, stamp({ version: 4 }), 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('should drop an entry on a price or layout change', () => {
    const cache = new SeatMapCache();
    for (const changed of [{ priceCents: 5000 }, { rows: 3 }, { cols: 3 }, { disabledSeats: '[{"row":1,"col":1}]' }]) {
      cache.set(1, stamp(), map());
      expect(cache.get(1, stamp(changed), 0)).toBeUndefined();
    }
  });

  it('should stop serving once the earliest hold in it lapses', () => {
    const cache = new SeatMapCache();
    cache.set(1, stamp(), map('x', 1000));
    expect(cache.get(1, stamp(), 999)).toBeDefined();
    expect(cache.get(1, stamp(), 1000)).toBeUndefined();
  });

  it('should evict the least recently used showtime past its entry or byte bound', () => {
    // Each entry is charged 1.5 × its JSON (room for its gzip): 'aaaa' costs 6 bytes.
    const cache = new SeatMapCache(2, 15);
    cache.set(1, stamp(), map('aaaa'));
    cache.set(2, stamp(), map('bbbb'));
    cache.get(1, stamp(), 0);
    cache.set(3, stamp(), map('cccc'));
    expect([1, 2, 3].map((id) => cache.get(id, stamp(), 0) !== undefined)).toEqual([true, false, true]);
    cache.set(4, stamp(), map('dddddddd'));
    expect(cache.size).toBe(1);
  });
});
