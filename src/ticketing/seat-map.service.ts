import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { AppException } from '../common/app.exception';
import { Envelope, RawResponse } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { centsToYuan } from '../common/time';
import { HallZone, pairBySeat, SeatPosition, seatPositionKey, STANDARD_ZONE, zoneBySeat } from '../halls/hall-layout';
import { ticketTypesDto } from '../schedules/dto/showtime.dto';
import { TicketType, zonePriceCents, zonesWithSeats } from '../schedules/showtime-pricing';
import { SeatMapDto, SeatStatus } from './dto/seat-map.dto';
import { CachedMap, SeatMapCache, sameStamp } from './seat-map.cache';
import { SeatMapRepository, SeatMapStamp } from './seat-map.repository';
import { TickBatcher } from '../common/tick-batcher';

/** What `res.json` would have sent: the cached bytes go out with the same header. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * One built map in the forms it is sent: the JSON, its gzip (made on first demand: every browser and
 * mobile HTTP stack asks for it, and a map of seats shrinks about tenfold, bench/NOTES.md), and a validator, so a
 * client that polls with If-None-Match gets a 304 without the body.
 */
export interface Encoded extends CachedMap {
  etag: string;
}

/**
 * GET /schedules/:id/seats, the hottest read. Every request reads the showtime's stamp (by primary
 * key, in the query its tick of the event loop shares); the encoded envelope is rebuilt from the
 * claims only when the stamp moved or a hold in it lapsed (see SeatMapCache), so a sold-out rush
 * does not re-encode 600 seats for every reader. Readers arriving during a rebuild of the same
 * stamp wait for it instead of starting their own.
 */
@Injectable()
export class SeatMapService {
  private readonly cache = new SeatMapCache<Encoded>();
  private readonly building = new Map<number, { stamp: SeatMapStamp; done: Promise<Encoded> }>();
  /**
   * Readers arriving in the same tick of the event loop share one stamp query (see TickBatcher):
   * under load, a round trip for many requests instead of one each, and each still sees every
   * change committed before it asked.
   */
  private readonly stamps = new TickBatcher<number, SeatMapStamp>((ids) => this.repository.findStamps(ids));

  constructor(private readonly repository: SeatMapRepository) {}

  /**
   * The whole envelope, already encoded: the envelope adapter sends it as it is, and Express answers 304
   * itself when If-None-Match names this ETag.
   */
  async seatMapResponse(scheduleId: number, acceptsGzip: boolean): Promise<RawResponse> {
    const map = await this.encoded(scheduleId);
    const headers: Record<string, string> = { ETag: map.etag, Vary: 'Accept-Encoding' };
    if (!acceptsGzip) return new RawResponse(map.body, JSON_TYPE, headers);
    map.gzipped ??= gzipSync(map.body, { level: 6 });
    return new RawResponse(map.gzipped, JSON_TYPE, { ...headers, 'Content-Encoding': 'gzip' });
  }

  /** The map as an object, for the live stream's snapshot. */
  async seatMap(scheduleId: number): Promise<SeatMapDto> {
    const { body } = await this.encoded(scheduleId);
    return (JSON.parse(body.toString('utf8')) as Envelope<SeatMapDto>).data;
  }

  private async encoded(scheduleId: number): Promise<Encoded> {
    const stamp = await this.stamps.load(scheduleId);
    if (!stamp) throw new AppException(ResultCode.NotFound, 'showtime not found');
    const cached = this.cache.get(scheduleId, stamp, Date.now());
    if (cached) return cached;
    const pending = this.building.get(scheduleId);
    if (pending && sameStamp(pending.stamp, stamp)) {
      const shared = await pending.done;
      // Built from claims read before this request came in: good only if no hold in it lapsed since.
      if (Date.now() < shared.validUntil) return shared;
    }
    const done = this.build(scheduleId, stamp).finally(() => {
      if (this.building.get(scheduleId)?.done === done) this.building.delete(scheduleId);
    });
    this.building.set(scheduleId, { stamp, done });
    return done;
  }

  /**
   * The stamp was read before the claims, so the map is never older than its stamp; a change that
   * commits in between only makes the next request see a newer stamp and rebuild.
   */
  private async build(scheduleId: number, stamp: SeatMapStamp): Promise<Encoded> {
    const claims = await this.repository.findClaims(scheduleId);
    const now = Date.now();
    const { rows, cols } = stamp;
    const status: SeatStatus[] = new Array<SeatStatus>(rows * cols).fill('available');
    const at = (row: number, col: number) => (row - 1) * cols + (col - 1);
    const inGrid = (row: number, col: number) => row >= 1 && row <= rows && col >= 1 && col <= cols;
    const disabled = stamp.disabledSeats ? (JSON.parse(stamp.disabledSeats) as SeatPosition[]) : [];
    for (const seat of disabled) {
      if (inGrid(seat.row, seat.col)) status[at(seat.row, seat.col)] = 'disabled';
    }
    let validUntil = Number.POSITIVE_INFINITY;
    // Claims win over a disabled mark: a seat sold before the layout changed is still someone's ticket.
    for (const claim of claims) {
      const expiresAt = claim.expiresAt?.getTime();
      if (expiresAt !== undefined && expiresAt <= now) continue;
      if (expiresAt !== undefined) validUntil = Math.min(validUntil, expiresAt);
      if (inGrid(claim.row, claim.col)) status[at(claim.row, claim.col)] = expiresAt === undefined ? 'sold' : 'held';
    }
    const [zones, couples, zonePrices, ticketTypes] = stamp.pricing
      .split('\u0000')
      .map((json) => (json ? (JSON.parse(json) as unknown) : null)) as [
      HallZone[] | null,
      SeatPosition[] | null,
      Record<string, number> | null,
      TicketType[] | null,
    ];
    const pricing = { priceCents: stamp.priceCents, zonePrices: zonePrices ?? {}, ticketTypes: ticketTypes ?? [] };
    const zoneOf = zoneBySeat(zones ?? []);
    const pairs = pairBySeat(couples ?? []);
    const hall = { rows, cols, disabledSeats: disabled, zones };
    const data: SeatMapDto = {
      scheduleId,
      rows,
      cols,
      price: centsToYuan(stamp.priceCents),
      seats: status.map((s, i) => {
        const seat = { row: Math.floor(i / cols) + 1, col: (i % cols) + 1 };
        const key = seatPositionKey(seat);
        const zone = zoneOf.get(key) ?? STANDARD_ZONE;
        const price = centsToYuan(zonePriceCents(pricing, zone));
        return { ...seat, status: s, zone, price, pair: pairs.get(key) ?? null };
      }),
      zones: zonesWithSeats(hall).map((name) => ({ name, price: centsToYuan(zonePriceCents(pricing, name)) })),
      ticketTypes: ticketTypesDto(pricing.ticketTypes),
    };
    const { code, msg } = ResultCode.Success;
    const body = Buffer.from(JSON.stringify({ code, msg, data } satisfies Envelope<SeatMapDto>));
    const etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
    const encoded: Encoded = { body, etag, validUntil };
    this.cache.set(scheduleId, stamp, encoded);
    return encoded;
  }
}
