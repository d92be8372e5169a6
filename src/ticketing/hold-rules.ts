import { AppException } from '../common/app.exception';
import { ResultCode } from '../common/result-code';
import {
  hasSeat,
  pairBySeat,
  partnerOf,
  SeatPosition,
  seatPositionKey,
  STANDARD_ZONE,
  zoneBySeat,
} from '../halls/hall-layout';
import type { SaleContext } from '../schedules/schedule-sales.service';
import { seatPriceCents } from '../schedules/showtime-pricing';
import type { OrderSeat } from './entities/order.entity';

/** A seat asked for in a hold, with its ticket type if any. */
export interface SeatChoice extends SeatPosition {
  ticketType?: string;
}

const key = (seat: SeatPosition) => `${seat.row}-${seat.col}`;

/** Couple seats are held together: one seat of a pair without the other answers 2011. */
export function assertCouplesWhole(context: SaleContext, seats: SeatPosition[]): void {
  if (!context.couples.length) return;
  const pairs = pairBySeat(context.couples);
  const wanted = new Set(seats.map(key));
  for (const seat of seats) {
    const partner = partnerOf(pairs, seat);
    if (partner && !wanted.has(key(partner))) {
      throw new AppException(
        ResultCode.CoupleSeatsSplit,
        `seat ${key(seat)} is a couple seat: hold it with ${key(partner)}`,
      );
    }
  }
}

/**
 * With the cinema's noSingleSeatGap on: a hold may not leave an available seat with no available
 * neighbour in its row where it had one before (row ends, disabled, held, sold and the hold's own
 * seats count as not available). `taken` holds the live claims and the seats of holds accepted
 * before this one in the batch.
 */
export function assertNoSingleGap(context: SaleContext, taken: Set<string>, seats: SeatPosition[]): void {
  if (!context.noSingleSeatGap) return;
  const mine = new Set(seats.map(key));
  const free = (row: number, col: number, after: boolean) =>
    hasSeat(context, { row, col }) && !taken.has(key({ row, col })) && !(after && mine.has(key({ row, col })));
  for (const row of new Set(seats.map((seat) => seat.row))) {
    for (let col = 1; col <= context.cols; col++) {
      if (!free(row, col, true)) continue;
      const aloneAfter = !free(row, col - 1, true) && !free(row, col + 1, true);
      const aloneBefore = !free(row, col - 1, false) && !free(row, col + 1, false);
      if (aloneAfter && !aloneBefore) {
        throw new AppException(ResultCode.SingleSeatGap, `the hold would leave seat ${row}-${col} empty on its own`);
      }
    }
  }
}

/** Each seat's zone, ticket type and price in cents; a ticket type the showtime does not have answers 1002. */
export function priceSeats(context: SaleContext, seats: SeatChoice[]): OrderSeat[] {
  const zones = zoneBySeat(context.zones);
  return seats.map((seat, i) => {
    const type =
      seat.ticketType === undefined ? undefined : context.ticketTypes.find((t) => t.name === seat.ticketType);
    if (seat.ticketType !== undefined && !type) {
      const known = context.ticketTypes.map((t) => t.name).join(', ') || 'none';
      const message = `unknown ticket type "${seat.ticketType}" (this showtime has: ${known})`;
      throw new AppException(ResultCode.InvalidParams, `seats[${i}].ticketType: ${message}`, [
        { field: `seats[${i}].ticketType`, message },
      ]);
    }
    const zone = zones.get(seatPositionKey(seat)) ?? STANDARD_ZONE;
    return {
      row: seat.row,
      col: seat.col,
      zone,
      ticketType: type?.name ?? null,
      priceCents: seatPriceCents(context, zone, type),
    };
  });
}
