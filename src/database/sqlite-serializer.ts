import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, ObjectLiteral, QueryRunner, TypeORMError } from 'typeorm';
import { bindIntegerParameters } from './sqlite-parameters';
import { SqliteDirect } from './sqlite-direct';

type Query = QueryRunner['query'];
type PatchedRunner = QueryRunner & { __ttmsSerialized?: true };
type Work<T> = (manager: EntityManager) => Promise<T>;
type ManagerTransaction = (this: EntityManager, ...args: unknown[]) => Promise<unknown>;

/**
 * TypeORM's better-sqlite3 driver gives every caller the same connection. Left alone, one request's
 * statements land inside another request's open transaction (and roll back with it), and two
 * transactions nest as savepoints of each other. This makes transactions queue for the connection, makes every
 * other statement wait while a transaction is open (no dirty reads, nothing swept into a rollback),
 * and turns TypeORM's implicit per-save transactions into plain statements. BEGIN IMMEDIATE takes
 * the file's write lock up front, so several processes on one file wait for each other instead of
 * failing on lock upgrade.
 *
 * TypeORM's own ways to open a transaction keep their documented meaning or fail loudly:
 * `dataSource.transaction()` and any manager's `transaction()` queue like TransactionRunner's
 * (inside a queued transaction they become a savepoint); a query runner's `startTransaction()` outside one
 * throws, since the statements after it could not be told from other requests' on the one
 * connection; inside a queued transaction it opens a savepoint.
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
  /** Savepoints open inside the current transaction (a query runner's or a manager's nested transaction). */
  private savepoints = 0;

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: Work<T>): Promise<T> {
    const runner = this.sharedRunner();
    if (this.inOwnTransaction()) return work(runner.manager);
    const queued = this.queue.then(() => this.transaction(runner, work));
    this.queue = queued.catch(() => undefined);
    return queued;
  }

  /** Whether the caller runs inside the open transaction's own work. */
  private inOwnTransaction(): boolean {
    return this.active !== undefined && this.context.getStore() === this.active.token;
  }

  private async transaction<T>(runner: QueryRunner, work: Work<T>): Promise<T> {
    const token = Symbol('sqlite-transaction');
    let finish!: () => void;
    this.active = { token, done: new Promise<void>((resolve) => (finish = resolve)) };
    this.savepoints = 0;
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

  /**
   * EntityManager.transaction for this data source: a queued transaction of its own, or inside one TypeORM's
   * own (a savepoint, through the runner's patched startTransaction). A queued transaction begins IMMEDIATE,
   * which is SERIALIZABLE; SQLite knows no other level but READ UNCOMMITTED, which only weakens
   * reads of a shared cache this connection does not use.
   */
  managerTransaction(manager: EntityManager, args: unknown[], own: ManagerTransaction): Promise<unknown> {
    const [first, second] = args;
    const work = (typeof first === 'function' ? first : second) as Work<unknown> | undefined;
    // Without a callback TypeORM throws its own error before opening anything.
    if (this.inOwnTransaction() || typeof work !== 'function') return own.apply(manager, args);
    if (typeof first === 'string' && first !== 'SERIALIZABLE' && first !== 'READ UNCOMMITTED') {
      return Promise.reject(new TypeORMError('SQLite only supports SERIALIZABLE and READ UNCOMMITTED isolation'));
    }
    return this.run(work);
  }

  private sharedRunner(): QueryRunner {
    const runner = this.dataSource.createQueryRunner() as PatchedRunner;
    if (runner.__ttmsSerialized) return runner;
    const query: Query = runner.query.bind(runner);
    const patchedQuery = async (...args: Parameters<Query>) => {
      await this.othersFinished();
      return query(...args);
    };
    runner.query = patchedQuery as Query;
    // TypeORM reads this before opening an implicit transaction around save() and remove(): with
    // 'none' it opens none, so whatever still calls startTransaction() asked for one on purpose.
    (this.dataSource.driver as { transactionSupport: string }).transactionSupport = 'none';
    runner.startTransaction = async () => {
      if (!this.inOwnTransaction()) throw outsideQueuedTransaction('startTransaction');
      await patchedQuery(`SAVEPOINT typeorm_${this.savepoints}`);
      this.savepoints++;
    };
    runner.commitTransaction = async () => {
      const name = this.innermostSavepoint('commitTransaction');
      await patchedQuery(`RELEASE SAVEPOINT ${name}`);
      this.savepoints--;
    };
    runner.rollbackTransaction = async () => {
      const name = this.innermostSavepoint('rollbackTransaction');
      await patchedQuery(`ROLLBACK TO SAVEPOINT ${name}`);
      await patchedQuery(`RELEASE SAVEPOINT ${name}`);
      this.savepoints--;
    };
    runner.__ttmsSerialized = true;
    return runner;
  }

  /** The queued transaction ends with its work; only savepoints opened inside it end here. */
  private innermostSavepoint(method: string): string {
    if (!this.inOwnTransaction()) throw outsideQueuedTransaction(method);
    if (this.savepoints === 0) {
      throw new Error(
        `${method}() on the transaction TransactionRunner.run opened: it commits when its work returns and rolls back when the work throws`,
      );
    }
    return `typeorm_${this.savepoints - 1}`;
  }

  /** Until no transaction but the caller's own is open: a statement from outside must not run inside one. */
  private async othersFinished(): Promise<void> {
    while (this.active && this.context.getStore() !== this.active.token) await this.active.done;
  }

  /** Patch the shared connection (and the driver's parameter binding) before the first request can use it. */
  install(): void {
    bindIntegerParameters(this.dataSource.driver);
    this.sharedRunner();
    serializers.set(this.dataSource, this);
    routeManagerTransactions();
  }

  /**
   * A read of fixed SQL outside any transaction, for the hottest reads (the guard's session, the
   * seat map, the order a payment starts from). Like every outside statement it waits while another
   * queued transaction is open; then it runs at once on better-sqlite3, which is synchronous, so
   * nothing can start in between. It skips TypeORM's query runner (bench/NOTES.md has what that saved).
   */
  async select<T>(sql: string, params: ObjectLiteral): Promise<T[]> {
    await this.othersFinished();
    return SqliteDirect.forRunner(this.sharedRunner(), this.dataSource).all<T>(sql, params);
  }
}

function outsideQueuedTransaction(method: string): Error {
  return new Error(
    `${method}() outside a transaction on SQLite: every query runner is the one shared connection, so ` +
      `other requests' statements would land in this transaction. Open transactions with ` +
      `TransactionRunner.run(work) (or dataSource.transaction(work), which queues the same way).`,
  );
}

let managerTransactionsRouted = false;

/**
 * dataSource.transaction() calls its manager's, and a repository's manager, a query runner's and
 * one made with createEntityManager() are all EntityManagers: patching the prototype catches every
 * one without adding work to the managers TypeORM creates for each query. Managers of other data
 * sources (MySQL's, whose runners are real connections) keep TypeORM's own.
 */
function routeManagerTransactions(): void {
  if (managerTransactionsRouted) return;
  managerTransactionsRouted = true;
  const prototype = EntityManager.prototype as unknown as { transaction: ManagerTransaction };
  const own = prototype.transaction;
  prototype.transaction = function (this: EntityManager, ...args: unknown[]) {
    const serializer = serializers.get(this.connection);
    return serializer ? serializer.managerTransaction(this, args, own) : own.apply(this, args);
  };
}

/** TypeORM marks it read-only, but its own save() then skips opening a nested transaction. */
export function setTransactionActive(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
}
