import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, ObjectLiteral, QueryRunner } from 'typeorm';
import { bindIntegerParameters } from './sqlite-parameters';
import { SqliteDirect } from './sqlite-direct';

type Query = QueryRunner['query'];
type PatchedRunner = QueryRunner & { __ttmsSerialized?: true };

/**
 * TypeORM's better-sqlite3 driver gives every caller the same connection. Left alone, one request's
 * statements land inside another request's open transaction (and roll back with it), and two
 * transactions nest as savepoints of each other. This makes transactions take turns, makes every
 * other statement wait while a transaction is open (no dirty reads, nothing swept into a rollback),
 * and turns TypeORM's implicit per-save transactions into plain statements, since every real
 * transaction here goes through TransactionRunner. BEGIN IMMEDIATE takes the file's write lock up
 * front, so several processes on one file wait for each other instead of failing on lock upgrade.
 */
const serializers = new WeakMap<DataSource, SqliteSerializer>();

/** The serializer installed on this SQLite data source, if any. */
export function serializerOf(dataSource: DataSource): SqliteSerializer | undefined {
  return serializers.get(dataSource);
}

export class SqliteSerializer {
  private readonly context = new AsyncLocalStorage<symbol>();
  private queue: Promise<unknown> = Promise.resolve();
  private active?: { token: symbol; done: Promise<void> };

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.sharedRunner();
    if (this.active && this.context.getStore() === this.active.token) return work(runner.manager);
    const turn = this.queue.then(() => this.transaction(runner, work));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async transaction<T>(runner: QueryRunner, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const token = Symbol('sqlite-transaction');
    let finish!: () => void;
    this.active = { token, done: new Promise<void>((resolve) => (finish = resolve)) };
    try {
      // BEGIN, COMMIT and ROLLBACK go straight to better-sqlite3 (see SqliteDirect): two of them
      // open and close every hold and payment.
      const direct = SqliteDirect.forRunner(runner, this.dataSource);
      return await this.context.run(token, async () => {
        direct.run('BEGIN IMMEDIATE', {});
        setTransactionActive(runner, true);
        try {
          const result = await work(runner.manager);
          direct.run('COMMIT', {});
          return result;
        } catch (error) {
          try {
            direct.run('ROLLBACK', {});
          } catch {
            // SQLite has already rolled back after some errors; the first error is the one to report.
          }
          throw error;
        } finally {
          setTransactionActive(runner, false);
        }
      });
    } finally {
      this.active = undefined;
      finish();
    }
  }

  private sharedRunner(): QueryRunner {
    const runner = this.dataSource.createQueryRunner() as PatchedRunner;
    if (runner.__ttmsSerialized) return runner;
    const query: Query = runner.query.bind(runner);
    const patchedQuery = async (...args: Parameters<Query>) => {
      await this.otherTurnsDone();
      return query(...args);
    };
    runner.query = patchedQuery as Query;
    const outside = () => !this.active || this.context.getStore() !== this.active.token;
    for (const method of ['startTransaction', 'commitTransaction', 'rollbackTransaction'] as const) {
      const original = runner[method].bind(runner) as (...args: unknown[]) => Promise<void>;
      (runner as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
        outside() ? Promise.resolve() : original(...args);
    }
    runner.__ttmsSerialized = true;
    return runner;
  }

  /** Until no transaction but the caller's own is open: a statement of another turn must not run inside one. */
  private async otherTurnsDone(): Promise<void> {
    while (this.active && this.context.getStore() !== this.active.token) await this.active.done;
  }

  /** Patch the shared connection (and the driver's parameter binding) before the first request can use it. */
  install(): void {
    bindIntegerParameters(this.dataSource.driver);
    this.sharedRunner();
    serializers.set(this.dataSource, this);
  }

  /**
   * A read of fixed SQL outside any transaction, for the hottest reads (the guard's session, the
   * seat map, the order a payment starts from). Like every outside statement it waits while another
   * turn's transaction is open; then it runs at once on better-sqlite3, which is synchronous, so
   * nothing can start in between. It skips TypeORM's query runner, which cost about 0.1 ms a request.
   */
  async select<T>(sql: string, params: ObjectLiteral): Promise<T[]> {
    await this.otherTurnsDone();
    return SqliteDirect.forRunner(this.sharedRunner(), this.dataSource).all<T>(sql, params);
  }
}

/** TypeORM marks it read-only, but its own save() then skips opening a nested transaction. */
export function setTransactionActive(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
}
