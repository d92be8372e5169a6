import { Injectable, Logger, BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { EnvironmentVariables } from '../config/env.validation';
import { TransactionRunner } from '../database/transaction-runner';
import { OrdersRepository } from './orders.repository';
import { SeatClaimsRepository } from './seat-claims.repository';
import { SeatEventsService } from '../live-seats/seat-events.service';
import { SeatStatusChange } from '../live-seats/seat-change';
import { EntityManager } from 'typeorm';

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
    private readonly runner: TransactionRunner,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly seatEvents: SeatEventsService,
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

  /** Sweeps until no lapsed pending order is left; answers how many orders this call expired. */
  async sweep(): Promise<number> {
    let expired = 0;
    for (;;) {
      const { found, marked, publish } = await this.runner.run(async (manager) => {
        const now = new Date();
        const ids = await this.orders.findLapsedPendingIds(manager, now, BATCH);
        if (!ids.length) return { found: 0, marked: 0, publish: [] };
        const showtimes = await this.claims.findLapsedOfOrders(manager, ids, now);
        await this.seatEvents.lockShowtimes(
          manager,
          showtimes.map((seat) => seat.scheduleId),
        );
        // Read again under the locks: a hold may have cleared one of these lapsed claims and taken
        // its seat in between, and that seat must not be announced as free.
        const freed = await this.claims.findLapsedOfOrders(manager, ids, now);
        const count = await this.orders.markExpired(manager, ids, now);
        const publish = await this.announceFreedSeats(manager, freed);
        await this.claims.deleteLapsedOfOrders(manager, ids, now);
        return { found: ids.length, marked: count, publish };
      });
      publish.forEach((announce) => announce());
      expired += marked;
      if (found < BATCH || marked === 0) return expired;
    }
  }

  /** One seat change per showtime, taken in showtime order like every other seat change. */
  private async announceFreedSeats(
    manager: EntityManager,
    freed: { scheduleId: number; row: number; col: number }[],
  ): Promise<(() => void)[]> {
    const bySchedule = new Map<number, SeatStatusChange[]>();
    for (const seat of freed) {
      const seats = bySchedule.get(seat.scheduleId) ?? [];
      seats.push({ row: seat.row, col: seat.col, status: 'available' });
      bySchedule.set(seat.scheduleId, seats);
    }
    const publish: (() => void)[] = [];
    for (const scheduleId of [...bySchedule.keys()].sort((a, b) => a - b)) {
      publish.push(await this.seatEvents.record(manager, scheduleId, bySchedule.get(scheduleId) ?? []));
    }
    return publish;
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
