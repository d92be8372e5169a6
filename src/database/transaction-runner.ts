import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { isRetryableTransactionError } from './db-errors';

const MAX_ATTEMPTS = 5;

/** TypeORM marks it read-only, but its own save() then skips opening a nested transaction. */
function setTransactionActive(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
}

/**
 * Every multi-row change runs through here.
 *
 * MySQL: READ COMMITTED, so that a read after a row lock sees what the lock holder committed
 * (REPEATABLE READ would read an old snapshot), and deadlocks are retried as a whole.
 * SQLite: TypeORM shares one connection and would nest concurrent transactions as savepoints of
 * each other, so transactions are queued here, and BEGIN IMMEDIATE takes the write lock up front
 * so that several processes on one file wait for each other instead of failing on lock upgrade.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get isMysql(): boolean {
    return this.dataSource.options.type === 'mysql';
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.isMysql ? await this.dataSource.transaction('READ COMMITTED', work) : await this.runSqlite(work);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableTransactionError(error)) throw error;
        this.logger.warn(`transaction retry ${attempt} after ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  /** Row lock for the rest of the transaction (MySQL); SQLite already holds the database's write lock. */
  forUpdate<T extends object>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return this.isMysql ? query.setLock('pessimistic_write') : query;
  }

  private runSqlite<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const turn = this.sqliteQueue.then(async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.query('BEGIN IMMEDIATE');
      setTransactionActive(runner, true);
      try {
        const result = await work(runner.manager);
        await runner.query('COMMIT');
        return result;
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        setTransactionActive(runner, false);
      }
    });
    this.sqliteQueue = turn.catch(() => undefined);
    return turn;
  }
}
