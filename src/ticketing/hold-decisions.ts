import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import type { SeatPosition } from '../halls/hall-layout';
import type { SaleContext } from '../schedules/schedule-sales.service';
import { MAX_SEATS_PER_USER } from './dto/create-order.dto';
import type { HeldClaim } from './seat-claims.repository';
import type { OrderSeat } from './entities/order.entity';
import { assertCouplesWhole, assertNoSingleGap, priceSeats, SeatChoice } from './hold-rules';
import { voucherDiscount, voucherRefusal, VoucherTerms } from '../vouchers/voucher-rules';

/** One hold waiting in its showtime's batch. */
export interface HoldJob {
  user: AuthUser;
  scheduleId: number;
  /** Sorted, so that two holds of overlapping seats lock index entries in the same order. */
  seats: SeatChoice[];
  /** upper case */
  voucherCode?: string;
}

/** An accepted hold: its seats priced, and the voucher's discount. */
export interface Accepted {
  seats: OrderSeat[];
  /** the seats' prices less the discount */
  amountCents: number;
  discountCents: number;
  voucher: VoucherTerms | null;
}

/** The vouchers a batch names, locked in its transaction, with their live uses (all, and per user). */
export interface VoucherBook {
  byCode: Map<string, VoucherTerms>;
  uses: Map<number, number>;
  /** by `${voucherId}:${userId}` */
  usesByUser: Map<string, number>;
}

export const NO_VOUCHERS: VoucherBook = { byCode: new Map(), uses: new Map(), usesByUser: new Map() };

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
  vouchers: VoucherBook = NO_VOUCHERS,
): (Accepted | { error: AppException })[] {
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
      assertCouplesWhole(context, job.seats);
      assertNoSingleGap(context, taken, job.seats);
      const seats = priceSeats(context, job.seats);
      const totalCents = seats.reduce((sum, seat) => sum + (seat.priceCents ?? 0), 0);
      const voucher = job.voucherCode === undefined ? null : takeVoucher(vouchers, job, context, now);
      const discountCents = voucher ? voucherDiscount(voucher, totalCents) : 0;
      owned.set(job.user.id, mine + job.seats.length);
      for (const seat of job.seats) taken.add(seatKey(seat));
      return { seats, amountCents: totalCents - discountCents, discountCents, voucher };
    } catch (error) {
      if (error instanceof AppException) return { error };
      throw error;
    }
  });
}

/** The voucher if it applies to this hold (2012 saying why not); its use is counted for the holds after it. */
function takeVoucher(book: VoucherBook, job: HoldJob, context: SaleContext, now: Date): VoucherTerms {
  const voucher = book.byCode.get(job.voucherCode!);
  const userKey = `${voucher?.id}:${job.user.id}`;
  const refusal = voucherRefusal(voucher, {
    cinemaId: context.cinemaId,
    movieId: context.movieId,
    seatCount: job.seats.length,
    now,
    uses: (voucher && book.uses.get(voucher.id)) ?? 0,
    usesByUser: book.usesByUser.get(userKey) ?? 0,
  });
  if (refusal || !voucher) throw new AppException(ResultCode.VoucherNotApplicable, refusal ?? 'unknown voucher code');
  book.uses.set(voucher.id, (book.uses.get(voucher.id) ?? 0) + 1);
  book.usesByUser.set(userKey, (book.usesByUser.get(userKey) ?? 0) + 1);
  return voucher;
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
