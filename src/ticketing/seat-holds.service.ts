import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { EnvironmentVariables } from '../config/env.validation';
import { isDuplicateKeyError } from '../database/db-errors';
import { Outcome, SaleTransactions, ShowtimeBatches } from '../database/sale-transactions';
import type { Transaction } from '../database/transaction';
import { SeatEventsService } from '../live-seats/seat-events.service';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import { CreateOrderDto } from './dto/create-order.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import { decide, HoldJob, isLive, NO_VOUCHERS, seatKey, seatsTaken, uniqueSeats, VoucherBook } from './hold-decisions';
import { HeldClaim, SeatClaimsRepository } from './seat-claims.repository';
import { normalizeVoucherCode } from '../vouchers/voucher-rules';
import { VoucherHoldsService } from '../vouchers/voucher-holds.service';
import { OrdersRepository } from './orders.repository';

/**
 * A batch reads its claims with one lookup per seat (a UNION): 32 holds of at most 6 seats each stay
 * well under SQLite's limit of 500 terms in a compound SELECT.
 */
const HOLDS_PER_BATCH = 32;

/**
 * POST /orders: holds seats for ORDER_HOLD_SECONDS, all of them or none. Holds of one showtime that
 * arrive together are decided together (docs/ARCHITECTURE.md, "The sale path"), each on its own.
 */
@Injectable()
export class SeatHoldsService {
  private readonly holds: ShowtimeBatches<HoldJob, OrderDto>;

  constructor(
    sales: SaleTransactions,
    private readonly schedules: ScheduleSalesService,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly seatEvents: SeatEventsService,
    private readonly vouchers: VoucherHoldsService,
  ) {
    this.holds = sales.perShowtime((tx, jobs) => this.holdTogether(tx, jobs), {
      maxBatch: HOLDS_PER_BATCH,
      // A voucher's row is written by the holds of every showtime that names it (VoucherHoldsService).
      alsoLease: (jobs) => jobs.flatMap((job) => (job.voucherCode === undefined ? [] : [`voucher:${job.voucherCode}`])),
    });
  }

  hold(user: AuthUser, dto: CreateOrderDto): Promise<OrderDto> {
    // Sorted, so that two holds of overlapping seats lock index entries in the same order.
    const seats = [...dto.seats]
      .sort((a, b) => a.row - b.row || a.col - b.col)
      .map(({ row, col, ticketType }) => (ticketType === undefined ? { row, col } : { row, col, ticketType }));
    const voucherCode = dto.voucherCode === undefined ? undefined : normalizeVoucherCode(dto.voucherCode);
    return this.holds.run(dto.scheduleId, { user, scheduleId: dto.scheduleId, seats, voucherCode });
  }

  /**
   * Under the showtime's lock, each hold is judged in the order it came, against the claims and
   * the holds accepted before it; the accepted ones become pending orders whose claims expire with
   * them, and the seat map learns of them once they are committed.
   */
  private async holdTogether(tx: Transaction, jobs: HoldJob[]): Promise<Outcome<OrderDto>[]> {
    const { scheduleId } = jobs[0];
    const now = tx.startedAt;
    const [, show, found] = await Promise.all([
      this.schedules.lockSeats(tx, [scheduleId]),
      this.schedules.saleContext(tx, scheduleId),
      this.claims.ofUsersOrSeats(
        tx,
        scheduleId,
        [...new Set(jobs.map((job) => job.user.id))],
        uniqueSeats(jobs.flatMap((job) => job.seats)),
      ),
    ]);
    // A cinema with the single-seat-gap rule judges whole rows; a batch naming vouchers locks them.
    const inRows = show?.noSingleSeatGap ? await this.claims.inRows(tx, scheduleId, rowsOf(jobs)) : [];
    const vouchers = show ? await this.vouchersOf(tx, jobs, now) : NO_VOUCHERS;
    const decisions = decide(jobs, show, uniqueClaims([...found, ...inRows]), now, vouchers);
    const accepted = jobs.flatMap((job, i) => {
      const decision = decisions[i];
      return 'seats' in decision ? [{ job, decision }] : [];
    });
    if (!show || !accepted.length) return decisions as Outcome<OrderDto>[];

    const expiresAt = new Date(now.getTime() + this.config.get('ORDER_HOLD_SECONDS', { infer: true }) * 1000);
    const wanted = new Set(accepted.flatMap(({ job }) => job.seats.map(seatKey)));
    const lapsed = found.filter((claim) => !isLive(claim, now) && wanted.has(seatKey(claim)));
    const [, orders, version] = await Promise.all([
      // A lapsed hold blocks nothing, but its row still holds the seat's unique key: it goes first.
      this.claims.deleteByIds(
        tx,
        lapsed.map((claim) => claim.id),
      ),
      Promise.all(
        accepted.map(({ job, decision }) =>
          this.orders
            .insertHeld(tx, {
              userId: job.user.id,
              scheduleId,
              seats: decision.seats,
              unitPriceCents: show.priceCents,
              amountCents: decision.amountCents,
              discountCents: decision.discountCents,
              voucherId: decision.voucher?.id ?? null,
              voucherCode: decision.voucher?.code ?? null,
              expiresAt,
              createdAt: now,
            })
            .catch((error: unknown) => {
              // Under the lock the claims read stays true, so this should never fire; if it does,
              // the batch is decided again hold by hold and this one answers 2003.
              throw isDuplicateKeyError(error) ? seatsTaken([]) : error;
            }),
        ),
      ),
      this.schedules.recordSeatChange(tx, scheduleId),
    ]);
    const held = accepted.flatMap(({ job }) =>
      job.seats.map(({ row, col }) => ({ row, col, status: 'held' as const })),
    );
    this.seatEvents.publishAfterCommit(tx, scheduleId, version, held);

    const placed = new Map(accepted.map(({ job }, i) => [job, orders[i]]));
    return jobs.map((job, i) => {
      const order = placed.get(job);
      return order ? { value: toOrderDto(order, show, { isOwner: true, now }) } : (decisions[i] as Outcome<OrderDto>);
    });
  }

  /** The vouchers the batch names, their rows written first (see VoucherHoldsService), with their live uses. */
  private async vouchersOf(tx: Transaction, jobs: HoldJob[], now: Date): Promise<VoucherBook> {
    const codes = jobs.flatMap((job) => (job.voucherCode === undefined ? [] : [job.voucherCode]));
    if (!codes.length) return NO_VOUCHERS;
    const vouchers = await this.vouchers.lockForUse(tx, codes);
    if (!vouchers.length) return { ...NO_VOUCHERS, byCode: new Map() };
    const { uses, usesByUser } = await this.orders.voucherUses(
      tx,
      vouchers.map((voucher) => voucher.id),
      now,
    );
    return { byCode: new Map(vouchers.map((voucher) => [voucher.code, voucher])), uses, usesByUser };
  }
}

function rowsOf(jobs: HoldJob[]): number[] {
  return [...new Set(jobs.flatMap((job) => job.seats.map((seat) => seat.row)))];
}

function uniqueClaims(claims: HeldClaim[]): HeldClaim[] {
  return [...new Map(claims.map((claim) => [claim.id, claim])).values()];
}
