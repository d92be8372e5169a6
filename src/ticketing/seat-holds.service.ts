import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { EnvironmentVariables } from '../config/env.validation';
import { isDuplicateKeyError, mayHaveCommitted } from '../database/db-errors';
import { runStatements } from '../database/raw-sql';
import { eachAlone, KeyedBatches, Settled } from '../database/keyed-batches';
import { PREVIOUS_INSERT_ID, Statement } from '../database/statement';
import { TransactionRunner } from '../database/transaction-runner';
import { CreateOrderDto } from './dto/create-order.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import type { Order } from './entities/order.entity';
import { OrdersRepository } from './orders.repository';
import { SaleContextRepository } from './sale-context.repository';
import { SeatClaimsRepository } from './seat-claims.repository';
import { decide, HoldJob, isLive, seatKey, seatsTaken, uniqueSeats } from './hold-decisions';
import { SeatEventsService, showtimeLock } from '../live-seats/seat-events.service';

/**
 * A batch reads its claims with one lookup per seat (a UNION): 32 holds of at most 6 seats each stay
 * well under SQLite's limit of 500 terms in a compound SELECT.
 */
const HOLDS_PER_BATCH = 32;

/**
 * The round trip with the writes and the COMMIT failed without the database refusing a statement (a
 * lost connection): the holds may stand. Trying them again would answer 2003 for seats they took.
 */
class OutcomeUnknown extends Error {
  constructor(readonly failure: unknown) {
    super('the hold batch may have been committed');
  }
}

/** Every hold of the batch was refused: roll the transaction back (its version bump included). */
class NothingHeld extends Error {
  constructor(readonly outcomes: Settled<OrderDto>[]) {
    super('no hold of the batch stands');
  }
}

/**
 * POST /orders: holds seats for ORDER_HOLD_SECONDS, all of them or none.
 *
 * Holds of one showtime that arrive while a batch of its holds runs are decided together in the
 * next batch (KeyedBatches): one row lock, one claims read and one commit for all of them, each hold
 * still judged on its own, in the order they came, against the claims and against the holds before
 * it in the batch. In a rush, when every request for a showtime queues at its row lock anyway, this
 * turns a transaction per hold into a transaction per batch.
 */
@Injectable()
export class SeatHoldsService {
  private readonly batches = new KeyedBatches<HoldJob, OrderDto>((jobs) => this.holdTogether(jobs), HOLDS_PER_BATCH);

  constructor(
    private readonly runner: TransactionRunner,
    private readonly saleContexts: SaleContextRepository,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly seatEvents: SeatEventsService,
  ) {}

  hold(user: AuthUser, dto: CreateOrderDto): Promise<OrderDto> {
    const seats = [...dto.seats].sort((a, b) => a.row - b.row || a.col - b.col).map(({ row, col }) => ({ row, col }));
    return this.batches.run(showtimeLock(dto.scheduleId), { user, scheduleId: dto.scheduleId, seats });
  }

  private async holdTogether(jobs: HoldJob[]): Promise<Settled<OrderDto>[]> {
    try {
      return await this.holdInOneTransaction(jobs);
    } catch (error) {
      if (error instanceof OutcomeUnknown) return jobs.map(() => ({ error: error.failure }));
      // Under the showtime's row lock the claims read stays true, so the unique key should never
      // fire; if it does (or anything else fails before the commit), each hold is tried again alone,
      // so that a failure stays with the hold that caused it.
      if (jobs.length > 1) return eachAlone(jobs, (one) => this.holdTogether(one));
      return [{ error: isDuplicateKeyError(error) ? seatsTaken([]) : error }];
    }
  }

  private async holdInOneTransaction(jobs: HoldJob[]): Promise<Settled<OrderDto>[]> {
    const { scheduleId } = jobs[0];
    const holdMs = this.config.get('ORDER_HOLD_SECONDS', { infer: true }) * 1000;
    try {
      const { outcomes, publish } = await this.runner.run(
        async (manager) => {
          const now = new Date();
          // The first round trip. First the showtime's row lock (its seat version): holds of one
          // showtime queue here, after any layout change or payment of it, and every transaction takes
          // it before touching claims. It also makes the per-user cap safe: it counts the users' claims
          // of this showtime only. Then, under the lock, the showtime and the claims that matter.
          const [version, context, found] = await runStatements(manager, [
            this.seatEvents.versionBump(manager, scheduleId),
            this.saleContexts.forHold(scheduleId),
            this.claims.ofUsersOrSeats(
              scheduleId,
              [...new Set(jobs.map((job) => job.user.id))],
              uniqueSeats(jobs.flatMap((job) => job.seats)),
            ),
          ]);
          const decided = decide(jobs, context, found, now);
          if (!decided.some((outcome) => outcome === 'accepted')) throw new NothingHeld(decided as Settled<OrderDto>[]);

          const expiresAt = new Date(now.getTime() + holdMs);
          const accepted = jobs.filter((_, i) => decided[i] === 'accepted');
          const wanted = new Set(accepted.flatMap((job) => job.seats.map(seatKey)));
          // A lapsed hold blocks nothing, but its row still holds the unique key: it goes first.
          const lapsed = found.filter((claim) => !isLive(claim, now) && wanted.has(seatKey(claim))).map((c) => c.id);
          const writes: Statement<unknown>[] = lapsed.length ? [this.claims.deleteByIds(lapsed)] : [];
          const orderAt = accepted.map((job) => {
            writes.push(
              this.orders.insertPending({
                userId: job.user.id,
                scheduleId,
                seats: job.seats,
                unitPriceCents: context!.priceCents,
                amountCents: context!.priceCents * job.seats.length,
                expiresAt,
                createdAt: now,
              }),
              this.claims.insertClaims(
                { scheduleId, orderId: PREVIOUS_INSERT_ID, userId: job.user.id, expiresAt },
                job.seats,
              ),
            );
            return writes.length - 2;
          });
          // The second and last round trip: the writes, and the commit with them.
          const answers = await runStatements(manager, writes, { thenCommit: true }).catch((error: unknown) => {
            throw mayHaveCommitted(error) ? new OutcomeUnknown(error) : error;
          });
          const orders = new Map(accepted.map((job, i) => [job, answers[orderAt[i]] as Order]));
          const outcomes = jobs.map((job, i): Settled<OrderDto> => {
            const order = orders.get(job);
            return order
              ? { value: toOrderDto(order, context!, { isOwner: true, now }) }
              : (decided[i] as Settled<OrderDto>);
          });
          const held = accepted.flatMap((job) => job.seats.map((seat) => ({ ...seat, status: 'held' as const })));
          return { outcomes, publish: this.seatEvents.announcement(scheduleId, version, held) };
        },
        { queueOn: showtimeLock(scheduleId) },
      );
      publish();
      return outcomes;
    } catch (error) {
      if (error instanceof NothingHeld) return error.outcomes;
      throw error;
    }
  }
}
