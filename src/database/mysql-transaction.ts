import { EntityManager, QueryRunner } from 'typeorm';
import { setTransactionActive } from './sqlite-serializer';

/** A mysql2 pool or pooled connection (callback API, as TypeORM holds them). */
export interface MysqlQueryable {
  query(options: { sql: string; values: unknown[] }, done: (error: Error | null, result: unknown) => void): void;
}

type RunnerQuery = QueryRunner['query'];

const open = new WeakMap<QueryRunner, MysqlTransaction>();

/**
 * A MySQL/MariaDB transaction on one pooled connection, opened by its first statement, whose
 * statements a caller may send several at a time in one round trip (the pool has
 * `multipleStatements` on). TypeORM's own statements on the runner (query builders, repositories)
 * run in it too.
 */
export class MysqlTransaction {
  private state: 'not begun' | 'open' | 'ended' = 'not begun';
  /** The `START TRANSACTION`, which everything after waits for. */
  private opening?: Promise<unknown>;
  private readonly plainQuery: RunnerQuery;

  private constructor(
    private readonly runner: QueryRunner,
    readonly connection: MysqlQueryable,
    private readonly oneStatementPerTrip: boolean,
  ) {
    const ownQuery = runner.query;
    this.plainQuery = ((...args: unknown[]) => ownQuery.apply(runner, args as [string])) as RunnerQuery;
    // TypeORM must see a transaction (so that save() opens none of its own, and a nested
    // transaction becomes a savepoint), and its statements must come after the real one.
    setTransactionActive(runner, true);
    (runner as unknown as { transactionDepth: number }).transactionDepth = 1;
    runner.query = (async (...args: Parameters<RunnerQuery>) => {
      await this.openAlone();
      return this.plainQuery(...args);
    }) as RunnerQuery;
    // Inside the work, TypeORM's own commit or rollback at the outer level would end this
    // transaction early; nested ones (savepoints) stay TypeORM's.
    for (const method of ['commitTransaction', 'rollbackTransaction'] as const) {
      const own = runner[method];
      runner[method] = () => {
        if ((runner as unknown as { transactionDepth: number }).transactionDepth > 1) return own.apply(runner);
        return Promise.reject(
          new Error(
            `${method}() on the transaction TransactionRunner.run opened: it commits when its work returns and rolls back when the work throws`,
          ),
        );
      };
    }
    open.set(runner, this);
  }

  /** `galera`: the server is a Galera node (one statement per round trip, see `send`). */
  static start(runner: QueryRunner, connection: MysqlQueryable, galera = false): MysqlTransaction {
    return new MysqlTransaction(runner, connection, galera);
  }

  static of(manager: EntityManager): MysqlTransaction | undefined {
    return manager.queryRunner ? open.get(manager.queryRunner) : undefined;
  }

  /**
   * Statement texts, each with its values, in one round trip. MySQL stops at the first failing
   * statement: the rest does not run, and the transaction stays open for the rollback.
   *
   * On a Galera node, one round trip per statement instead, each sent once the one before it has
   * answered: a transaction that a replicated write aborts (brute force) in the middle of a
   * multi-statement query is rolled back with only a warning, and the query's remaining statements
   * then run and commit on their own, outside it (docs/ARCHITECTURE.md, "Several database nodes").
   * A statement sent alone gets the abort as error 1213, and nothing is sent after it but the rollback.
   */
  async send(texts: string[], values: unknown[][]): Promise<unknown[]> {
    await this.openAlone();
    if (!this.oneStatementPerTrip) {
      const answer = await this.query(texts.join(';\n'), values.flat());
      return texts.length === 1 ? [answer] : (answer as unknown[]);
    }
    const answers: unknown[] = [];
    for (let i = 0; i < texts.length; i++) answers.push(await this.query(texts[i], values[i]));
    return answers;
  }

  private query(sql: string, values: unknown[]): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      this.connection.query({ sql, values }, (error, result) => (error ? reject(error) : resolve(result)));
    });
  }

  async commit(): Promise<void> {
    await this.finish('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.finish('ROLLBACK');
  }

  /** Gives the runner back its own query method, out of any transaction; call before releasing it. */
  end(): void {
    open.delete(this.runner);
    delete (this.runner as { query?: RunnerQuery }).query;
    delete (this.runner as { commitTransaction?: unknown }).commitTransaction;
    delete (this.runner as { rollbackTransaction?: unknown }).rollbackTransaction;
    setTransactionActive(this.runner, false);
    (this.runner as unknown as { transactionDepth: number }).transactionDepth = 0;
  }

  private async finish(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    if (this.opening) await this.opening.catch(() => undefined);
    // Nothing sent: there is nothing to end.
    if (this.state !== 'open') return;
    this.state = 'ended';
    await this.plainQuery(statement);
  }

  private openAlone(): Promise<unknown> {
    if (this.state === 'ended') return Promise.reject(new Error('this transaction has ended already'));
    if (this.state === 'not begun') {
      this.state = 'open';
      this.opening = this.plainQuery('START TRANSACTION');
    }
    return this.opening ?? Promise.resolve();
  }
}
