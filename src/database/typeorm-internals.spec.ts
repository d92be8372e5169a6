import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource, EntityManager, EntitySchema, QueryFailedError, QueryRunner } from 'typeorm';
import { QueryResult } from 'typeorm/query-runner/QueryResult';
import { DateUtils } from 'typeorm/util/DateUtils';
import { createPool } from 'mysql2';
import { buildDataSourceOptions } from './database.options';

/**
 * Everything the project takes from TypeORM beyond its documented API: private fields it reads or
 * writes, methods it replaces on an instance, deep import paths, and behaviour of TypeORM's own
 * code that the patches count on. TypeORM is pinned to an exact version in package.json; before
 * moving the pin, this file says what to look at again. Each row names the internal and the file
 * that relies on it, and fails with that name.
 *
 * SQLite rows run against real in-memory data sources. MySQL rows need no server: a data source
 * that is never initialized still has its driver and runners, and a stub pool stands in for mysql2's.
 */

interface Note {
  id: number;
  body: string;
  at?: Date;
}
const Notes = new EntitySchema<Note>({
  name: 'note',
  columns: {
    id: { type: Number, primary: true, generated: true },
    body: { type: String },
    at: { type: 'datetime', precision: 3, nullable: true },
  },
});

/** The shapes of private members, as the project's casts see them. */
type SqliteDriverInternals = { databaseConnection: { prepare(sql: string): unknown; exec(sql: string): unknown } };
type MysqlDriverInternals = {
  mysql: unknown;
  pool?: unknown;
  createPool(options: Record<string, unknown>): Promise<unknown>;
};
type RunnerInternals = { transactionDepth: number; isTransactionActive: boolean };

async function withSqlite<T>(use: (dataSource: DataSource) => T | Promise<T>): Promise<T> {
  const dataSource = await new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: [Notes],
    synchronize: true,
  }).initialize();
  try {
    return await use(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** What a stub mysql2 connection was sent, answered as the server would for the statements used here. */
function stubMysqlConnection(answer: (sql: string) => unknown = () => []) {
  const sent: string[] = [];
  const connection = {
    sent,
    listeners: () => [{}],
    on: () => undefined,
    release: () => undefined,
    query(payload: string | { sql: string }, ...rest: unknown[]) {
      const sql = typeof payload === 'string' ? payload : payload.sql;
      sent.push(sql);
      const done = rest[rest.length - 1] as (error: Error | null, result: unknown) => void;
      done(null, sql === 'SELECT version()' ? [{ 'version()': '10.11.6-MariaDB' }] : answer(sql));
    },
  };
  return connection;
}

/** The project's own MariaDB options, never connected. */
function unconnectedMysql(): DataSource {
  return new DataSource(
    buildDataSourceOptions({ url: 'mysql://ttms@127.0.0.1:9/ttms', path: '', migrationsRun: false }, 'mariadb'),
  );
}

/** Connects the driver to a stub pool instead of a server; answers what createPool was given. */
async function connectToStub(dataSource: DataSource, connection: ReturnType<typeof stubMysqlConnection>) {
  const driver = dataSource.driver as unknown as MysqlDriverInternals;
  const pool = { getConnection: (done: (error: null, c: unknown) => void) => done(null, connection) };
  let options: Record<string, unknown> = {};
  driver.createPool = (given) => {
    options = given;
    return Promise.resolve(pool);
  };
  await dataSource.driver.connect();
  return { pool, options };
}

/** Runs `work` with a runner whose start/commit/rollback are recorded instead of sent. */
function recordTransactions(runner: QueryRunner): string[] {
  const calls: string[] = [];
  runner.startTransaction = () => (calls.push('start'), Promise.resolve());
  runner.commitTransaction = () => (calls.push('commit'), Promise.resolve());
  runner.rollbackTransaction = () => (calls.push('rollback'), Promise.resolve());
  return calls;
}

const internals: { name: string; usedBy: string; check: () => unknown }[] = [
  {
    name: 'package.json pins typeorm to the exact version installed',
    usedBy: 'everything below',
    check: () => {
      const pinned = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as PackageJson)
        .dependencies.typeorm;
      // The package's exports map hides its package.json from require().
      const installed = (
        JSON.parse(readFileSync(join(dirname(require.resolve('typeorm')), 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
      expect(pinned).toBe(installed);
    },
  },
  {
    name: 'BetterSqlite3Driver.createQueryRunner() answers one shared runner to every caller',
    usedBy: 'sqlite-serializer.ts (patches it once for everyone)',
    check: () =>
      withSqlite((dataSource) => {
        expect(dataSource.createQueryRunner()).toBe(dataSource.createQueryRunner());
        expect(dataSource.manager.queryRunner).toBeUndefined();
      }),
  },
  {
    name: 'DataSource.createQueryRunner() gives the runner a plain EntityManager bound to it (runner.manager.queryRunner)',
    usedBy: 'sqlite-serializer.ts, transaction-runner.ts, raw-sql.ts, sqlite-direct.ts, mysql-transaction.ts',
    check: () =>
      withSqlite((dataSource) => {
        const runner = dataSource.createQueryRunner();
        expect(runner.manager).toBeInstanceOf(EntityManager);
        expect(runner.manager.queryRunner).toBe(runner);
        expect(Object.prototype.hasOwnProperty.call(runner.manager, 'transaction')).toBe(false);
        expect(Object.prototype.hasOwnProperty.call(dataSource.createEntityManager(), 'transaction')).toBe(false);
      }),
  },
  {
    name: 'BetterSqlite3Driver.databaseConnection is the better-sqlite3 Database its runner uses',
    usedBy: 'sqlite-direct.ts (BEGIN/COMMIT and hot statements straight on it)',
    check: () =>
      withSqlite(async (dataSource) => {
        const db = (dataSource.driver as unknown as SqliteDriverInternals).databaseConnection;
        expect(typeof db.prepare).toBe('function');
        expect(await dataSource.createQueryRunner().connect()).toBe(db);
        // A TEMP table exists on its own connection only.
        db.exec('CREATE TEMP TABLE only_here (x INTEGER)');
        await expect(dataSource.query('SELECT COUNT(*) AS n FROM only_here')).resolves.toEqual([{ n: 0 }]);
      }),
  },
  {
    name: "QueryRunner.query is the one door: TypeORM's repositories, builders and DataSource.query call the runner's own (instance-replaceable) query()",
    usedBy: 'sqlite-serializer.ts (waits for queued transactions), mysql-transaction.ts (opens the transaction first)',
    check: () =>
      withSqlite(async (dataSource) => {
        const runner = dataSource.createQueryRunner();
        const own = runner.query.bind(runner);
        const sent: string[] = [];
        runner.query = ((sql: string, ...rest: unknown[]) => (sent.push(sql), own(sql, ...(rest as [])))) as never;
        await dataSource.getRepository(Notes).insert({ body: 'a' });
        await dataSource.getRepository(Notes).find();
        await dataSource.query('SELECT 1');
        expect(sent.map((sql) => sql.split(' ')[0])).toEqual(['INSERT', 'SELECT', 'SELECT']);
      }),
  },
  {
    name: 'QueryRunner.isTransactionActive is a writable field, and save() opens no transaction of its own while it is true',
    usedBy:
      'sqlite-serializer.ts and mysql-transaction.ts (setTransactionActive); raw-sql.ts and sqlite-direct.ts read it',
    check: () =>
      withSqlite(async (dataSource) => {
        const runner = dataSource.createQueryRunner();
        const field = Object.getOwnPropertyDescriptor(runner, 'isTransactionActive');
        expect(field).toMatchObject({ value: false, writable: true });
        const calls = recordTransactions(runner);
        (runner as unknown as RunnerInternals).isTransactionActive = true;
        await dataSource.getRepository(Notes).save({ body: 'b' });
        expect(calls).toEqual([]);
        (runner as unknown as RunnerInternals).isTransactionActive = false;
        await dataSource.getRepository(Notes).save({ body: 'c' });
        expect(calls).toEqual(['start', 'commit']);
      }),
  },
  {
    name: "driver.transactionSupport = 'none' keeps save() and remove() from opening a transaction",
    usedBy:
      'sqlite-serializer.ts (then any startTransaction() outside a queued transaction was asked for on purpose, and refused)',
    check: () =>
      withSqlite(async (dataSource) => {
        expect(dataSource.driver.transactionSupport).toBe('nested');
        (dataSource.driver as { transactionSupport: string }).transactionSupport = 'none';
        const calls = recordTransactions(dataSource.createQueryRunner());
        const repository = dataSource.getRepository(Notes);
        const note = await repository.save({ body: 'd' });
        await repository.remove(note);
        expect(calls).toEqual([]);
        expect(await repository.count()).toBe(0);
      }),
  },
  {
    name: 'EntityManager.prototype.transaction: the one path of DataSource.transaction() and every manager, as startTransaction -> work(queryRunner.manager) -> commit or rollback',
    usedBy: 'sqlite-serializer.ts (routes it into a turn; inside one it becomes a savepoint)',
    check: () =>
      withSqlite(async (dataSource) => {
        const prototype = EntityManager.prototype as unknown as { transaction: (...args: unknown[]) => unknown };
        const own = prototype.transaction;
        const managers: unknown[] = [];
        prototype.transaction = function (this: EntityManager, ...args: unknown[]) {
          managers.push(this);
          return own.apply(this, args);
        };
        try {
          const runner = dataSource.createQueryRunner();
          const calls = recordTransactions(runner);
          const given: EntityManager[] = [];
          await dataSource.transaction((manager) => (given.push(manager), Promise.resolve()));
          await expect(
            dataSource.getRepository(Notes).manager.transaction('SERIALIZABLE', () => Promise.reject(new Error('x'))),
          ).rejects.toThrow('x');
          expect(managers).toEqual([dataSource.manager, dataSource.manager]);
          expect(calls).toEqual(['start', 'commit', 'start', 'rollback']);
          expect(given[0].queryRunner).toBe(runner);
        } finally {
          prototype.transaction = own;
        }
      }),
  },
  {
    name: 'AbstractSqliteQueryRunner.release() leaves the shared runner open',
    usedBy:
      'sqlite-serializer.ts (TypeORM releases the shared runner after every transaction() and DataSource.query())',
    check: () =>
      withSqlite(async (dataSource) => {
        const runner = dataSource.createQueryRunner();
        await runner.release();
        expect(runner.isReleased).toBe(false);
        await expect(runner.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
      }),
  },
  {
    name: 'BetterSqlite3QueryRunner.query(sql, params, true) answers a QueryResult: raw = the new rowid, affected = changes',
    usedBy: 'raw-sql.ts (throughTypeorm)',
    check: () =>
      withSqlite(async (dataSource) => {
        await dataSource.query(`INSERT INTO note (body) VALUES ('e')`);
        const result = (await dataSource
          .createQueryRunner()
          .query(`INSERT INTO note (body) VALUES (?)`, ['f'], true)) as QueryResult<unknown>;
        expect(result).toBeInstanceOf(QueryResult);
        expect({ raw: Number(result.raw), affected: result.affected }).toEqual({ raw: 2, affected: 1 });
      }),
  },
  {
    name: "deep imports 'typeorm/query-runner/QueryResult' and 'typeorm/util/DateUtils' (SQLite datetimes as TypeORM writes them)",
    usedBy: 'raw-sql.ts, sqlite-direct.ts',
    check: () =>
      withSqlite(async (dataSource) => {
        expect(typeof QueryResult).toBe('function');
        const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
        expect(DateUtils.mixedDateToUtcDatetimeString(at)).toBe('2026-01-02 03:04:05.006');
        await dataSource.getRepository(Notes).insert({ body: 'g', at });
        expect(await dataSource.query('SELECT at FROM note')).toEqual([{ at: '2026-01-02 03:04:05.006' }]);
      }),
  },
  {
    name: 'AbstractSqliteDriver.escapeQueryWithParameters inlines a number but binds a BigInt, and is replaceable on the driver instance',
    usedBy: 'sqlite-parameters.ts (bindIntegerParameters); raw-sql.ts calls it',
    check: () =>
      withSqlite(async (dataSource) => {
        const driver = dataSource.driver;
        expect(driver.escapeQueryWithParameters('SELECT :id', { id: 63 }, {})).toEqual(['SELECT 63', []]);
        expect(driver.escapeQueryWithParameters('SELECT :id', { id: 63n }, {})).toEqual(['SELECT ?', [63n]]);
        const own = driver.escapeQueryWithParameters.bind(driver);
        let calls = 0;
        driver.escapeQueryWithParameters = (...args) => (calls++, own(...args));
        await dataSource.getRepository(Notes).findBy({ id: 1 });
        expect(calls).toBeGreaterThan(0);
      }),
  },
  {
    name: "QueryFailedError keeps the driver's error: driverError.code and the driver's message",
    usedBy: 'db-errors.ts',
    check: () =>
      withSqlite(async (dataSource) => {
        await dataSource.query(`INSERT INTO note (id, body) VALUES (1, 'h')`);
        const failure = await dataSource.query(`INSERT INTO note (id, body) VALUES (1, 'h')`).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(QueryFailedError);
        expect((failure as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe(
          'SQLITE_CONSTRAINT_PRIMARYKEY',
        );
        expect((failure as Error).message).toMatch(/UNIQUE constraint failed: note\.id/);
      }),
  },
  {
    name: 'driver.createSchemaBuilder().log() answers the pending schema changes without applying them',
    usedBy: 'scripts/migration-tools.ts (test/migrations.e2e-spec.ts)',
    check: () =>
      withSqlite(async (dataSource) => {
        await dataSource.query('DROP TABLE note');
        const log = await dataSource.driver.createSchemaBuilder().log();
        expect(log.upQueries.map((q) => q.query).join('\n')).toMatch(/CREATE TABLE "note"/);
        // better-sqlite3's own error (not wrapped when preparing fails) may come from the realm of
        // the first test file that loaded the addon in this worker: not an Error here, for jest.
        const failure = await dataSource.query('SELECT 1 FROM note').then(
          () => undefined,
          (error: { message?: string }) => error,
        );
        expect(failure?.message).toMatch(/no such table/);
      }),
  },
  {
    name: "MysqlDriver loads mysql2's callback API (driver.mysql)",
    usedBy: 'mysql-transaction.ts and raw-sql.ts (MysqlQueryable: query({ sql, values }, callback))',
    check: () => {
      const { mysql } = unconnectedMysql().driver as unknown as MysqlDriverInternals;
      expect((mysql as { createPool: unknown }).createPool).toBe(createPool);
    },
  },
  {
    name: 'MysqlDriver.pool is the pool connect() created, with multipleStatements passed through',
    usedBy: 'raw-sql.ts (mysqlPoolOf: statements outside a transaction go to the pool); MysqlTransaction batches',
    check: async () => {
      const dataSource = unconnectedMysql();
      const { pool, options } = await connectToStub(dataSource, stubMysqlConnection());
      expect((dataSource.driver as unknown as MysqlDriverInternals).pool).toBe(pool);
      expect(options.multipleStatements).toBe(true);
    },
  },
  {
    name: 'MysqlDriver.createQueryRunner() makes a new runner per call; connect() answers its pooled mysql2 connection',
    usedBy: 'transaction-runner.ts (patches its own runner; sends on the connection directly)',
    check: async () => {
      const dataSource = unconnectedMysql();
      const connection = stubMysqlConnection();
      await connectToStub(dataSource, connection);
      const runner = dataSource.createQueryRunner();
      expect(runner).not.toBe(dataSource.createQueryRunner());
      expect(await runner.connect()).toBe(connection);
    },
  },
  {
    name: "MysqlQueryRunner.query(sql, params, true) answers a QueryResult: raw = mysql2's header (insertId), affected = affectedRows",
    usedBy: 'raw-sql.ts (throughTypeorm)',
    check: async () => {
      const dataSource = unconnectedMysql();
      await connectToStub(
        dataSource,
        stubMysqlConnection(() => ({ insertId: 42, affectedRows: 1 })),
      );
      const result = (await dataSource.createQueryRunner().query('INSERT x', [], true)) as QueryResult<unknown>;
      expect(result).toBeInstanceOf(QueryResult);
      expect(result.raw).toMatchObject({ insertId: 42 });
      expect(result.affected).toBe(1);
    },
  },
  {
    name: "MysqlQueryRunner.transactionDepth: set to 1 from outside (with isTransactionActive), TypeORM's transactions become savepoints sent through this.query",
    usedBy: 'mysql-transaction.ts (a manager.transaction() inside TransactionRunner.run)',
    check: async () => {
      const runner = unconnectedMysql().createQueryRunner();
      const internals = runner as unknown as RunnerInternals;
      expect(Object.getOwnPropertyDescriptor(runner, 'transactionDepth')).toMatchObject({ value: 0, writable: true });
      internals.isTransactionActive = true;
      internals.transactionDepth = 1;
      const sent: string[] = [];
      runner.query = ((sql: string) => (sent.push(sql), Promise.resolve([]))) as never;
      await runner.startTransaction();
      await runner.commitTransaction();
      await runner.startTransaction();
      await runner.rollbackTransaction();
      expect(sent).toEqual([
        'SAVEPOINT typeorm_1',
        'RELEASE SAVEPOINT typeorm_1',
        'SAVEPOINT typeorm_1',
        'ROLLBACK TO SAVEPOINT typeorm_1',
      ]);
      expect({ depth: internals.transactionDepth, active: runner.isTransactionActive }).toEqual({
        depth: 1,
        active: true,
      });
    },
  },
  {
    name: "MysqlQueryRunner.query lives on the prototype: deleting a runner's own query restores TypeORM's",
    usedBy: 'mysql-transaction.ts (MysqlTransaction.end)',
    check: () => {
      const runner = unconnectedMysql().createQueryRunner();
      const prototypeQuery = (Object.getPrototypeOf(runner) as QueryRunner).query;
      expect(Object.prototype.hasOwnProperty.call(runner, 'query')).toBe(false);
      runner.query = (() => Promise.resolve()) as never;
      delete (runner as { query?: unknown }).query;
      expect(runner.query).toBe(prototypeQuery);
    },
  },
];

interface PackageJson {
  dependencies: Record<string, string>;
}

describe('TypeORM internals the project relies on', () => {
  for (const { name, usedBy, check } of internals) {
    it(`${name} [${usedBy}]`, async () => {
      try {
        await check();
      } catch (error) {
        throw new Error(`TypeORM internal changed: ${name}\n  relied on by ${usedBy}\n${(error as Error).message}`);
      }
    });
  }
});
