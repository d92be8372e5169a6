import type { SeatMapStamp } from './seat-map.repository';

/** What is cached per showtime: the encoded map (and its gzip once made). */
export interface CachedMap {
  body: Buffer;
  gzipped?: Buffer;
  /** The earliest expiry of a hold shown as held (ms since epoch): the map is stale from then on. */
  validUntil: number;
}

interface Entry<T extends CachedMap> {
  stamp: SeatMapStamp;
  map: T;
}

/**
 * Encoded seat maps per showtime, least recently used first out. An entry serves only while the
 * showtime's stamp (seat version, price, layout) read from the database for this request is the
 * one it was built under, and until its first hold lapses, since a lapse frees a seat without a
 * version bump. The database stays the judge, so instances sharing it need no shared cache.
 */
export class SeatMapCache<T extends CachedMap = CachedMap> {
  private readonly entries = new Map<number, Entry<T>>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 1000,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  get(scheduleId: number, stamp: SeatMapStamp, now: number): T | undefined {
    const entry = this.entries.get(scheduleId);
    if (!entry) return undefined;
    if (now >= entry.map.validUntil || !sameStamp(entry.stamp, stamp)) {
      this.remove(scheduleId, entry);
      return undefined;
    }
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.entries.delete(scheduleId);
    this.entries.set(scheduleId, entry);
    return entry.map;
  }

  set(scheduleId: number, stamp: SeatMapStamp, map: T): void {
    const old = this.entries.get(scheduleId);
    if (old) this.remove(scheduleId, old);
    if (chargeOf(map) > this.maxBytes) return;
    this.entries.set(scheduleId, { stamp, map });
    this.bytes += chargeOf(map);
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.remove(id, entry);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(scheduleId: number, entry: Entry<T>): void {
    this.entries.delete(scheduleId);
    this.bytes -= chargeOf(entry.map);
  }
}

/**
 * The bytes an entry is charged up front, its gzip included before it exists: a seat map's JSON
 * repeats the same keys and statuses, so its gzip is well under half of it.
 */
function chargeOf(map: CachedMap): number {
  return Math.ceil(map.body.length * 1.5);
}

export function sameStamp(a: SeatMapStamp, b: SeatMapStamp): boolean {
  return (
    a.version === b.version &&
    a.priceCents === b.priceCents &&
    a.rows === b.rows &&
    a.cols === b.cols &&
    a.disabledSeats === b.disabledSeats &&
    a.pricing === b.pricing
  );
}
