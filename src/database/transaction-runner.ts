import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { isRetryableTransactionError } from './db-errors';
import { KeyedTurns } from './keyed-turns';
import { MysqlQueryable, MysqlTransaction } from './mysql-transaction';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { SqliteSerializer } from './sqlite-serializer';
import { prepareSqlite } from './sqlite-setup';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../config/env.validation';

const MAX_ATTEMPTS = 5;

/**
 * Every multi-row change runs through here.
 *
 * MySQL: READ COMMITTED, so that a read after a row lock sees what the lock holder committed
 * (REPEATABLE READ would read an old snapshot), and deadlocks are retried as a whole.
 * SQLite: transactions take turns on the one shared connection (see SqliteSerializer).
 */
@Injectable()
export class TransactionRunner implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly sqlite?: SqliteSerializer;
  private readonly checkpointer = new SqliteCheckpointer();
  private checkpointerWanted?: { path: string; intervalMs: number };
  /** MySQL connections already switched to READ COMMITTED for their whole session. */
  private readonly readCommitted = new WeakSet<object>();
  /**
   * Two per row: one transaction holding the lock and the next already queued at it, so the lock
   * passes on without a round trip; a third waiter measured no faster and costs InnoDB lock waits.
   */
  private readonly turns = new KeyedTurns(2);

  constructor(
    readonly dataSource: DataSource,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {
    if (!this.isMysql) this.sqlite = new SqliteSerializer(dataSource);
  }

  /** Runs before any feature touches the database (feature modules depend on this one). */
  async onModuleInit(): Promise<void> {
    if (!this.sqlite) return;
    await prepareSqlite(this.dataSource, this.config.get('DB_MIGRATIONS_RUN', { infer: true }));
    this.sqlite.install();
    const path = String(this.dataSource.options.database ?? ':memory:');
    const intervalMs = this.config.get('SQLITE_CHECKPOINT_MS', { infer: true });
    if (intervalMs > 0 && path !== ':memory:') this.checkpointerWanted = { path, intervalMs };
  }

  /**
   * The checkpointer's thread costs about 9 MB: it starts with the first write transaction, so a
   * server that only reads (or has not sold anything yet) goes without.
   */
  private startCheckpointer(): void {
    const wanted = this.checkpointerWanted;
    if (!wanted) return;
    this.checkpointerWanted = undefined;
    this.dataSource
      .query(`PRAGMA wal_autocheckpoint = ${SqliteCheckpointer.FALLBACK_PAGES}`)
      .then(() => this.checkpointer.start(wanted.path, wanted.intervalMs))
      .catch((error: Error) => this.logger.warn(`WAL checkpointer not started: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.checkpointer.stop();
  }

  get isMysql(): boolean {
    return this.dataSource.options.type === 'mysql' || this.dataSource.options.type === 'mariadb';
  }

  /**
   * `queueOn` names the row that the work locks first (a showtime's, say). On MySQL, transactions
   * of one instance with the same name wait for each other here, in the process, rather than on
   * the row lock: they would take turns there anyway, and a transaction queued on an InnoDB lock
   * costs the database server CPU (lock waits, wake-ups) and holds a pooled connection while it
   * waits. The row lock still orders them against other instances. SQLite takes turns already.
   */
  async run<T>(work: (manager: EntityManager) => Promise<T>, options: { queueOn?: string } = {}): Promise<T> {
    if (options.queueOn && !this.sqlite) return this.turns.run(options.queueOn, () => this.attempts(work));
    return this.attempts(work);
  }

  private async attempts<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!this.sqlite) return await this.mysqlTransaction(work);
        const result = await this.sqlite.run(work);
        if (this.checkpointerWanted) this.startCheckpointer();
        return result;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
        this.logger.warn(`transaction retry ${attempt} after ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  /**
   * TypeORM's transaction('READ COMMITTED') sends SET TRANSACTION before every START TRANSACTION: a
   * round trip per transaction, made while the first row lock may already be queued for. Setting the
   * level once per pooled connection, for its session, leaves `START TRANSACTION`, which then travels
   * with the first statement (MysqlTransaction).
   */
  private async mysqlTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as MysqlQueryable;
      if (!this.readCommitted.has(connection)) {
        await runner.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
        this.readCommitted.add(connection);
      }
      const transaction = MysqlTransaction.start(runner, connection);
      try {
        const result = await work(runner.manager);
        await transaction.commit();
        return result;
      } catch (error) {
        await transaction.rollback().catch(() => undefined);
        throw error;
      } finally {
        transaction.end();
      }
    } finally {
      await runner.release();
    }
  }

  /** Row lock for the rest of the transaction (MySQL); SQLite already holds the database's write lock. */
  forUpdate<T extends object>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return this.isMysql ? query.setLock('pessimistic_write') : query;
  }
}
