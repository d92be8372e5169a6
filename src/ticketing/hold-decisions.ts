import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import type { SeatPosition } from '../halls/hall-layout';
import type { SaleContext } from '../schedules/schedule-sales.service';
import { MAX_SEATS_PER_USER } from './dto/create-order.dto';
import type { HeldClaim } from './seat-claims.repository';

/** One hold waiting in its showtime's batch. */
export interface HoldJob {
  user: AuthUser;
  scheduleId: number;
  /** Sorted, so that two holds of overlapping seats lock index entries in the same order. */
  seats: SeatPosition[];
}

export const isLive = (claim: HeldClaim, now: Date) =>
  claim.expiresAt === null || claim.expiresAt.getTime() > now.getTime();

/**
 * Each hold in the order it came: refused with its own error, or accepted, and then its seats are
 * taken and its user's count goes up for the holds after it.
 */
export function decide(
  jobs: HoldJob[],
  context: SaleContext | null,
  found: HeldClaim[],
  now: Date,
): ('accepted' | { error: AppException })[] {
  const live = found.filter((claim) => isLive(claim, now));
  const owned = new Map<number, number>();
  for (const claim of live) owned.set(claim.userId, (owned.get(claim.userId) ?? 0) + 1);
  const taken = new Set(live.map(seatKey));
  return jobs.map((job) => {
    try {
      if (!context) throw new AppException(ResultCode.NotFound, 'showtime not found');
      assertOnSale(context, now);
      assertSeatsSellable(context, job.seats);
      const mine = owned.get(job.user.id) ?? 0;
      if (mine + job.seats.length > MAX_SEATS_PER_USER) {
        throw new AppException(
          ResultCode.TicketLimitExceeded,
          `at most ${MAX_SEATS_PER_USER} seats per showtime: you already hold or own ${mine}`,
        );
      }
      const clash = job.seats.filter((seat) => taken.has(seatKey(seat)));
      if (clash.length) throw seatsTaken(clash);
      owned.set(job.user.id, mine + job.seats.length);
      for (const seat of job.seats) taken.add(seatKey(seat));
      return 'accepted';
    } catch (error) {
      if (error instanceof AppException) return { error };
      throw error;
    }
  });
}

export function uniqueSeats(seats: SeatPosition[]): SeatPosition[] {
  return [...new Map(seats.map((seat) => [seatKey(seat), seat])).values()];
}

export const seatKey = (seat: SeatPosition) => `${seat.row}-${seat.col}`;

export function seatsTaken(taken: SeatPosition[]): AppException {
  if (!taken.length) return new AppException(ResultCode.SeatUnavailable, 'one of these seats was just taken');
  const which = taken.length === 1 ? `seat ${seatKey(taken[0])} is` : `seats ${taken.map(seatKey).join(', ')} are`;
  return new AppException(ResultCode.SeatUnavailable, `${which} already held or sold`);
}

function assertOnSale(context: SaleContext, now: Date): void {
  if (context.cinemaStatus !== 'active') {
    throw new AppException(ResultCode.NotOnSale, 'the cinema is not selling tickets at the moment');
  }
  if (context.startsAt.getTime() <= now.getTime()) {
    throw new AppException(ResultCode.NotOnSale, 'sales stop when the showtime starts');
  }
}

/** Outside the grid is a malformed request (1002); a disabled seat exists but cannot be sold (2003). */
function assertSeatsSellable(context: SaleContext, seats: SeatPosition[]): void {
  const outside = seats.filter((s) => s.row > context.rows || s.col > context.cols);
  if (outside.length) {
    const fieldErrors = outside.map((s) => ({
      field: 'seats',
      message: `seat ${s.row}-${s.col} is outside the hall's ${context.rows}×${context.cols} grid`,
    }));
    throw new AppException(ResultCode.InvalidParams, `seats: ${fieldErrors[0].message}`, fieldErrors);
  }
  const disabled = new Set(context.disabledSeats.map(seatKey));
  const blocked = seats.find((s) => disabled.has(seatKey(s)));
  if (blocked) throw new AppException(ResultCode.SeatUnavailable, `seat ${blocked.row}-${blocked.col} is not in use`);
}
