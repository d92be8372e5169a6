import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { EnvironmentVariables } from '../config/env.validation';
import { SaleTransactions } from '../database/sale-transactions';
import { OutboxService } from '../outbox/outbox.service';
import { DeliveriesRepository, DeliveryRecord } from './deliveries.repository';
import { DeliverySender } from './delivery-sender.service';
import { EventRouting } from './event-routing.service';
import { afterAttempt, CLAIM_MS, parseSchedule } from './retry-schedule';

/** How often an idle instance looks for due deliveries: the first attempt goes out within 5 s of the commit. */
const POLL_MS = 1_000;
/**
 * The least time between two cycles woken by commits: under a rush every commit wakes the worker,
 * and a cycle per commit spent the database's time on routing transactions of one event each.
 */
const WAKE_GAP_MS = 250;
/** Attempts one instance makes at once; a receiver that hangs holds one of them for at most 10 s. */
const CAPACITY = 32;

/**
 * Sends what the outbox holds (CONTRACT section 14): routes new events to deliveries, then claims
 * the due ones and makes their attempts. Every instance runs one (unless NOTIFICATION_WORKER=off);
 * they share the work through the claims, so each attempt is made by one of them. An instance hears
 * of its own commits at once and of others' within POLL_MS.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private readonly schedule: number[];
  private readonly enabled: boolean;
  private readonly attempts = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private cycling?: Promise<void>;
  private again = false;
  private stopped = false;
  private lastCycleAt = 0;
  private wake?: NodeJS.Timeout;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly sales: SaleTransactions,
    private readonly outbox: OutboxService,
    private readonly routing: EventRouting,
    private readonly deliveries: DeliveriesRepository,
    private readonly sender: DeliverySender,
  ) {
    this.schedule = parseSchedule(config.get('WEBHOOK_RETRY_SCHEDULE', { infer: true }));
    this.enabled = config.get('NOTIFICATION_WORKER', { infer: true }) === 'on';
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.unsubscribe = this.outbox.onRecorded(() => this.kick());
    this.kick();
  }

  /** Stops taking work and lets the attempts under way finish (each within its 10 s), before the data source closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.wake);
    this.unsubscribe?.();
    await this.cycling;
    await Promise.allSettled([...this.attempts]);
  }

  /** One cycle at a time, WAKE_GAP_MS apart at least; a kick meanwhile runs one more after it. */
  kick(): void {
    if (this.stopped) return;
    if (this.cycling) {
      this.again = true;
      return;
    }
    const wait = this.lastCycleAt + WAKE_GAP_MS - Date.now();
    if (wait > 0) {
      if (!this.wake) {
        this.wake = setTimeout(() => {
          this.wake = undefined;
          this.kick();
        }, wait);
        this.wake.unref();
      }
      return;
    }
    this.lastCycleAt = Date.now();
    this.cycling = this.cycle()
      .catch((error: Error) => this.logger.error(`notification cycle failed: ${error.message}`))
      .finally(() => {
        this.cycling = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** The outcome of an attempt made now, outside the schedule (a manual retry), recorded like any other. */
  async attemptNow(delivery: DeliveryRecord, token: string, keepSchedule: boolean): Promise<void> {
    const outcome = await this.sender.attempt(delivery, delivery.nextAttemptAt!);
    const after = afterAttempt(keepSchedule ? delivery.attempts : Infinity, this.schedule, outcome, new Date());
    await this.sales.run((tx) => this.deliveries.finish(tx, delivery.id, token, outcome, after));
  }

  private async cycle(): Promise<void> {
    await this.routing.routeAll();
    while (!this.stopped && this.attempts.size < CAPACITY) {
      const room = CAPACITY - this.attempts.size;
      const claimed = await this.claimDue(room);
      for (const delivery of claimed) this.track(this.attemptClaimed(delivery));
      if (claimed.length < room) return;
    }
  }

  private track(attempt: Promise<void>): void {
    this.attempts.add(attempt);
    void attempt.finally(() => this.attempts.delete(attempt));
  }

  /** Claims up to `limit` due deliveries for this instance; those whose last attempt was cut off fail instead. */
  private async claimDue(limit: number): Promise<DeliveryRecord[]> {
    if (!(await this.deliveries.anyDue(new Date()))) return [];
    const token = randomBytes(12).toString('hex');
    const ids = await this.sales.run(async (tx) => {
      const now = tx.startedAt;
      const due = await this.deliveries.due(tx, now, limit);
      const spent = due.filter((delivery) => delivery.attempts > this.schedule.length);
      const claimed = due
        .filter((delivery) => delivery.attempts <= this.schedule.length)
        .map((delivery) => delivery.id);
      await Promise.all([
        this.deliveries.failCutOff(
          tx,
          spent.map((delivery) => delivery.id),
        ),
        this.deliveries.claim(tx, claimed, token, new Date(now.getTime() + CLAIM_MS)),
      ]);
      return claimed;
    });
    return this.deliveries.claimed(ids, token);
  }

  private async attemptClaimed(delivery: DeliveryRecord): Promise<void> {
    try {
      const outcome = await this.sender.attempt(delivery, delivery.nextAttemptAt!);
      const after = afterAttempt(delivery.attempts, this.schedule, outcome, new Date());
      await this.sales.run((tx) => this.deliveries.finish(tx, delivery.id, delivery.claimToken!, outcome, after));
      if (!outcome.delivered) {
        this.logger.warn(
          `${delivery.channel} delivery ${delivery.id} (${delivery.eventType}) attempt ${delivery.attempts} failed: ${outcome.error}`,
        );
      }
    } catch (error) {
      // The claim runs out and the attempt is made again: nothing is lost.
      this.logger.error(`recording delivery ${delivery.id} failed: ${(error as Error).message}`);
    }
  }
}
