import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { EnvironmentVariables } from '../config/env.validation';
import type { Transaction } from '../database/transaction';
import { SeatChangeEvent, SeatStatusChange } from './seat-change';

const CHANNEL = 'ttms:seat-changes';
type Listener = (event: SeatChangeEvent) => void;

/**
 * Where seat changes enter the live seat map. A change takes its version inside the transaction
 * that makes it (so versions follow commit order), and is published after the commit: to this
 * instance's listeners directly, and through Redis pub/sub to every other instance when REDIS_URL
 * is set. Each event is built once and handed to the stream hub, which fans it out.
 */
@Injectable()
export class SeatEventsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SeatEventsService.name);
  private readonly listeners = new Set<Listener>();
  private readonly instanceId = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  private publisher?: Redis;
  private subscriber?: Redis;

  constructor(private readonly config: ConfigService<EnvironmentVariables, true>) {}

  async onModuleInit(): Promise<void> {
    const url = this.config.get('REDIS_URL', { infer: true });
    if (!url) return;
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    }
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    await this.subscriber.subscribe(CHANNEL);
  }

  async onModuleDestroy(): Promise<void> {
    for (const client of [this.publisher, this.subscriber]) {
      if (client) await client.quit().catch(() => undefined);
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Announces a change of the showtime's seats once the transaction that made it has committed (a
   * rolled-back change is never announced). `version` is the one the change took in that
   * transaction (ScheduleSalesService.recordSeatChange), so events follow commit order.
   */
  publishAfterCommit(tx: Transaction, scheduleId: number, version: number | null, seats: SeatStatusChange[]): void {
    // No such showtime: nothing changed, and the caller's own read of it answers 1014.
    if (version === null || !seats.length) return;
    const event: SeatChangeEvent = { scheduleId, version, seats };
    tx.afterCommit(() => this.publish(event));
  }

  private publish(event: SeatChangeEvent): void {
    this.deliver(event);
    if (!this.publisher) return;
    this.publisher
      .publish(CHANNEL, JSON.stringify({ from: this.instanceId, event }))
      .catch((error: Error) => this.logger.warn(`seat change not shared through redis: ${error.message}`));
  }

  private receive(message: string): void {
    try {
      const { from, event } = JSON.parse(message) as { from: string; event: SeatChangeEvent };
      if (from !== this.instanceId) this.deliver(event);
    } catch (error) {
      this.logger.warn(`unreadable seat change message: ${(error as Error).message}`);
    }
  }

  /** Runs after a commit: a failing listener must not turn a change that stands into an error answer. */
  private deliver(event: SeatChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`seat change listener failed: ${(error as Error).message}`);
      }
    }
  }
}
