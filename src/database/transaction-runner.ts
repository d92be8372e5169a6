import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { isRetryableTransactionError, mayHaveCommitted } from './db-errors';
import { prepareMysqlSessions } from './mysql-sessions';
import { MysqlQueryable, MysqlTransaction } from './mysql-transaction';
import { SqliteSerializer } from './sqlite-serializer';
import { prepareSqlite } from './sqlite-setup';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../config/env.validation';

const MAX_ATTEMPTS = 5;

/**
 * The COMMIT was sent and no answer came back (a lost connection): the transaction may stand.
 * Running its work again could act twice (a hold would then find its own seats taken).
 */
export class CommitOutcomeUnknown extends Error {
  constructor(readonly failure: unknown) {
    super(`the commit may or may not have happened: ${(failure as Error)?.message ?? String(failure)}`);
  }
}

/**
 * Every multi-row change runs through here.
 *
 * MySQL: READ COMMITTED, so that a read after a row lock sees what the lock holder committed
 * (REPEATABLE READ would read an old snapshot), and deadlocks are retried as a whole.
 * SQLite: transactions queue for the one shared connection (see SqliteSerializer).
 */
@Injectable()
export class TransactionRunner implements OnModuleInit {
  private readonly logger = new Logger(TransactionRunner.name);
  private readonly sqlite?: SqliteSerializer;
  /** A MariaDB Galera Cluster node: commits can lose certification (docs/ARCHITECTURE.md). */
  galera = false;

  constructor(
    readonly dataSource: DataSource,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {
    if (!this.isMysql) this.sqlite = new SqliteSerializer(dataSource);
  }

  /** Runs before any feature touches the database (feature modules depend on this one). */
  async onModuleInit(): Promise<void> {
    if (!this.sqlite) {
      ({ galera: this.galera } = await prepareMysqlSessions(this.dataSource));
      return;
    }
    await prepareSqlite(this.dataSource, this.config.get('DB_MIGRATIONS_RUN', { infer: true }));
    this.sqlite.install();
  }

  get isMysql(): boolean {
    return this.dataSource.options.type === 'mysql' || this.dataSource.options.type === 'mariadb';
  }

  /**
   * `work` runs again, whole, after a deadlock, a lock wait timeout or a busy SQLite file (and after
   * the errors `retryAlso` names), at most MAX_ATTEMPTS times: it must decide afresh from what it
   * reads each time. A commit whose outcome is unknown is never run again (CommitOutcomeUnknown).
   */
  async run<T>(
    work: (manager: EntityManager) => Promise<T>,
    options: { retryAlso?: (error: unknown) => boolean } = {},
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!this.sqlite) return await this.mysqlTransaction(work);
        return await this.sqlite.run(work);
      } catch (error) {
        const retryable = isRetryableTransactionError(error) || options.retryAlso?.(error) === true;
        if (attempt >= MAX_ATTEMPTS || !retryable) throw error;
        // On a Galera node a 1213 is as often a commit that lost certification to another node.
        const cause = this.galera ? ' (a deadlock, or a conflict with another node)' : '';
        this.logger.warn(`transaction retry ${attempt} after ${(error as Error).message}${cause}`);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  /**
   * Not TypeORM's transaction('READ COMMITTED'), which sends SET TRANSACTION before every START
   * TRANSACTION: the level is set once per pooled connection, for its session (prepareMysqlSessions).
   */
  private async mysqlTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as MysqlQueryable;
      const transaction = MysqlTransaction.start(runner, connection, this.galera);
      let result: T;
      try {
        result = await work(runner.manager);
      } catch (error) {
        await transaction.rollback().catch(() => undefined);
        transaction.end();
        throw error;
      }
      try {
        await transaction.commit();
      } catch (error) {
        throw mayHaveCommitted(error) ? new CommitOutcomeUnknown(error) : error;
      } finally {
        transaction.end();
      }
      return result;
    } finally {
      await runner.release();
    }
  }

  /** Row lock for the rest of the transaction (MySQL); SQLite already holds the database's write lock. */
  forUpdate<T extends object>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return this.isMysql ? query.setLock('pessimistic_write') : query;
  }
}
