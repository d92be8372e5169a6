import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { EntityManager } from 'typeorm';
import { EnvironmentVariables } from '../config/env.validation';
import { Schedule } from '../schedules/entities/schedule.entity';
import { runStatements } from '../database/raw-sql';
import { readStatement, SqlCondition, Statement, writeStatement } from '../database/statement';
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
   * Call inside the transaction that changes the seats; returns the publish step to run once it
   * has committed (a rolled-back change must never be announced). Bumping the version is one
   * statement that also takes the showtime's row lock, so as a transaction's first statement it is
   * the lock every seat change queues on; `soldDelta` moves the sold count in the same statement.
   */
  async record(
    manager: EntityManager,
    scheduleId: number,
    seats: SeatStatusChange[],
    soldDelta = 0,
  ): Promise<() => void> {
    if (!seats.length && !soldDelta) return () => undefined;
    const [version] = await runStatements(manager, [this.versionBump(manager, scheduleId, soldDelta)]);
    return this.announcement(scheduleId, version, seats);
  }

  /**
   * `record` in two halves, for a transaction that sends the version bump together with other
   * statements: the bump (first in its batch, as the lock), then what to publish after the commit.
   * seat_version + 1 (and sold_count + soldDelta), answering the new version without a second read:
   * SQLite has RETURNING; MySQL and MariaDB hand `LAST_INSERT_ID(expr)` back as the statement's
   * insert id, per connection, so no other transaction can see it. `soldDelta` may be SQL (a count the
   * statement makes itself); `onlyIf` makes the bump conditional.
   */
  versionBump(
    manager: EntityManager,
    scheduleId: number,
    soldDelta: number | SqlCondition = 0,
    onlyIf?: SqlCondition,
  ): Statement<number | null> {
    // A delta in SQL (seats counted by the statement itself) brings its own parameters.
    const delta = typeof soldDelta === 'number' ? { sql: String(Math.trunc(soldDelta)), params: {} } : soldDelta;
    const sold = delta.sql !== '0' ? `, sold_count = sold_count + ${delta.sql}` : '';
    const where = `WHERE id = :scheduleId${onlyIf ? ` AND ${onlyIf.sql}` : ''}`;
    const params = { ...delta.params, ...onlyIf?.params, scheduleId };
    if (isMysql(manager)) {
      const sql = `UPDATE schedules SET seat_version = LAST_INSERT_ID(seat_version + 1)${sold} ${where}`;
      return writeStatement(sql, params, ({ affected, insertId }) => (affected ? insertId : null));
    }
    return readStatement<{ seat_version: number | string }, number | null>(
      `UPDATE schedules SET seat_version = seat_version + 1${sold} ${where} RETURNING seat_version`,
      params,
      ([row]) => (row ? Number(row.seat_version) : null),
    );
  }

  /**
   * The showtimes' row locks, in id order, as a statement (FOR UPDATE on MySQL; SQLite holds the
   * database's write lock already, so there it is a plain read), for a batch whose version bump
   * depends on what comes after the lock.
   */
  lockStatement(manager: EntityManager, scheduleIds: number[]): Statement<unknown[]> {
    const ids = [...new Set(scheduleIds)].sort((a, b) => a - b);
    const forUpdate = isMysql(manager) ? ' FOR UPDATE' : '';
    return readStatement(`SELECT id FROM schedules WHERE id IN (:...ids) ORDER BY id${forUpdate}`, { ids });
  }

  announcement(scheduleId: number, version: number | null, seats: SeatStatusChange[]): () => void {
    // No such showtime: nothing changed, and the caller's own read of it answers 1014.
    if (version === null || !seats.length) return () => undefined;
    const event: SeatChangeEvent = { scheduleId, version, seats };
    return () => this.publish(event);
  }

  /**
   * Takes the showtimes' row locks (MySQL; SQLite transactions are serial already), in id order, as the
   * first step of a transaction that changes seats. Updating an order makes InnoDB share-lock its
   * showtime row for the foreign key; upgrading that later to bump the version would deadlock against a
   * hold queued for the same row, so the exclusive lock comes first.
   */
  async lockShowtimes(manager: EntityManager, scheduleIds: number[]): Promise<void> {
    if (!scheduleIds.length || !isMysql(manager)) return;
    await runStatements(manager, [this.lockStatement(manager, scheduleIds)]);
  }

  async currentVersion(scheduleId: number, manager: EntityManager): Promise<number> {
    const row = await manager
      .createQueryBuilder(Schedule, 's')
      .select('s.seat_version', 'version')
      .where('s.id = :scheduleId', { scheduleId })
      .getRawOne<{ version: number | string }>();
    return Number(row?.version ?? 0);
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

/** The name of the lock that a version bump of this showtime takes first (TransactionRunner's `queueOn`). */
export const showtimeLock = (scheduleId: number) => `schedules:${scheduleId}`;

function isMysql(manager: EntityManager): boolean {
  const type = manager.connection.options.type;
  return type === 'mysql' || type === 'mariadb';
}
