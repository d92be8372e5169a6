import { Injectable, Logger, BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EnvironmentVariables } from '../config/env.validation';
import { SaleTransactions } from '../database/sale-transactions';
import type { Transaction } from '../database/transaction';
import { SeatStatusChange } from '../live-seats/seat-change';
import { SeatEventsService } from '../live-seats/seat-events.service';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import { OrdersRepository } from './orders.repository';
import { OrderViewsRepository } from './order-views.repository';
import { orderEvent } from './order-events';
import { OutboxService } from '../outbox/outbox.service';
import { PaymentRecordsService } from '../payments/payment-records.service';
import { PaymentSweepService } from './payment-sweep.service';
import { SeatClaimsRepository } from './seat-claims.repository';

const SWEEP_INTERVAL = 'ticketing.sweep-lapsed-holds';
const BATCH = 200;

/**
 * Every SWEEP_SECONDS, marks pending orders past their hold `expired` and deletes their claims. The
 * seats are free from `expiresAt` on anyway (holds judge claims by time); this is bookkeeping.
 * Each statement re-checks its condition, so instances sweeping at once, or a payment racing the
 * sweep, leave every order in exactly one state.
 */
@Injectable()
export class HoldSweepService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HoldSweepService.name);
  private running?: Promise<number>;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly sales: SaleTransactions,
    private readonly schedules: ScheduleSalesService,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly seatEvents: SeatEventsService,
    private readonly paymentSweep: PaymentSweepService,
    private readonly views: OrderViewsRepository,
    private readonly payments: PaymentRecordsService,
    private readonly outbox: OutboxService,
  ) {}

  onApplicationBootstrap(): void {
    const everyMs = this.config.get('SWEEP_SECONDS', { infer: true }) * 1000;
    const timer = setInterval(() => void this.tick(), everyMs);
    timer.unref();
    this.scheduler.addInterval(SWEEP_INTERVAL, timer);
  }

  /** Before the data source closes: stop the timer and let a running sweep finish. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', SWEEP_INTERVAL)) this.scheduler.deleteInterval(SWEEP_INTERVAL);
    await this.running?.catch(() => undefined);
  }

  /**
   * Asks the providers about payments still pending past their hold (a lost notification settles
   * here), then sweeps until no lapsed pending order is left; answers how many orders it expired.
   */
  async sweep(): Promise<number> {
    await this.paymentSweep.sweep();
    let expired = 0;
    for (;;) {
      const { found, marked } = await this.sales.run((tx) => this.expireLapsed(tx));
      expired += marked;
      if (found < BATCH || marked === 0) return expired;
    }
  }

  private async expireLapsed(tx: Transaction): Promise<{ found: number; marked: number }> {
    const now = tx.startedAt;
    const ids = await this.orders.findLapsedPendingIds(tx, now, BATCH);
    if (!ids.length) return { found: 0, marked: 0 };
    const before = await this.views.viewsIn(tx, ids);
    await this.schedules.lockSeats(tx, [...new Set([...before.values()].map((view) => view.order.scheduleId))]);
    // Read again under the locks: a payment may have bought one of these orders, or a hold cleared
    // one of their lapsed claims and taken its seat, and neither may be announced as expired or free.
    const [views, freed, latest] = await Promise.all([
      this.views.viewsIn(tx, ids),
      this.claims.findLapsedOfOrders(tx, ids, now),
      this.payments.latestOf(ids, tx),
    ]);
    const lapsed = [...views.values()].filter(({ order }) => order.status === 'pending' && order.expiresAt <= now);
    if (!lapsed.length) return { found: ids.length, marked: 0 };
    const marked = await this.orders.markExpired(
      tx,
      lapsed.map(({ order }) => order.id),
      now,
    );
    // Every change of an order's status takes its showtime's lock, held here: what was read is what
    // was marked. Were it ever not, no event may go out for an order that did not expire.
    if (marked !== lapsed.length) {
      throw new Error(`expired ${marked} of ${lapsed.length} lapsed orders read under lock`);
    }
    const events = lapsed.map((view) => {
      const expired = { ...view.order, status: 'expired' as const, closedAt: now };
      return orderEvent('order.expired', view, expired, latest.get(view.order.id), now);
    });
    await Promise.all([this.announceFreedSeats(tx, freed), this.outbox.record(tx, events)]);
    await this.claims.deleteLapsedOfOrders(tx, ids, now);
    return { found: ids.length, marked };
  }

  /** One seat change per showtime, in showtime order like every other seat change. */
  private async announceFreedSeats(
    tx: Transaction,
    freed: { scheduleId: number; row: number; col: number }[],
  ): Promise<void> {
    const bySchedule = new Map<number, SeatStatusChange[]>();
    for (const seat of freed) {
      const seats = bySchedule.get(seat.scheduleId) ?? [];
      seats.push({ row: seat.row, col: seat.col, status: 'available' });
      bySchedule.set(seat.scheduleId, seats);
    }
    for (const scheduleId of [...bySchedule.keys()].sort((a, b) => a - b)) {
      const version = await this.schedules.recordSeatChange(tx, scheduleId);
      this.seatEvents.publishAfterCommit(tx, scheduleId, version, bySchedule.get(scheduleId) ?? []);
    }
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.sweep();
    try {
      const expired = await this.running;
      if (expired) this.logger.log(`expired ${expired} unpaid orders`);
    } catch (error) {
      this.logger.error(`hold sweep failed: ${(error as Error).message}`);
    } finally {
      this.running = undefined;
    }
  }
}
