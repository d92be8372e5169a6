import { EntityManager, ObjectLiteral, QueryFailedError } from 'typeorm';
import type { QueryResult } from 'typeorm/query-runner/QueryResult';
import { SqliteDirect } from './sqlite-direct';
import { serializerOf } from './sqlite-serializer';

/**
 * Fixed SQL with named `:params` for the hot paths (hold, pay, seat map), without the query builder
 * and entity hydration. The parameters still go through the driver's own escaping, so a Date is
 * written the way the entities write it (UTC text on SQLite) and integers are bound, not inlined.
 * Identifiers are unquoted snake_case (and `rows`/`cols` always table-qualified) so that one text
 * runs on SQLite and MySQL/MariaDB.
 */
export async function selectRows<T>(manager: EntityManager, sql: string, params: ObjectLiteral): Promise<T[]> {
  const inTransaction = SqliteDirect.of(manager);
  if (inTransaction) return inTransaction.all<T>(sql, params);
  // A manager without a runner of its own: the data source's, outside any transaction.
  const serializer = manager.queryRunner ? undefined : serializerOf(manager.connection);
  if (serializer) return serializer.select<T>(sql, params);
  const mysql = mysqlTargetOf(manager);
  if (mysql) return (await mysqlQuery(mysql, manager, sql, params)) as T[];
  const [text, bound] = manager.connection.driver.escapeQueryWithParameters(sql, params, {});
  return manager.query<T[]>(text, bound);
}

/** A write inside the caller's transaction: the affected row count and, after an INSERT, the new id. */
export async function writeRows(
  manager: EntityManager,
  sql: string,
  params: ObjectLiteral,
): Promise<{ affected: number; insertId: number }> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('writeRows runs inside a transaction');
  const direct = SqliteDirect.of(manager);
  if (direct) return direct.run(sql, params);
  const mysql = mysqlTargetOf(manager);
  if (mysql) {
    const header = (await mysqlQuery(mysql, manager, sql, params)) as { affectedRows: number; insertId: number };
    return { affected: header.affectedRows, insertId: Number(header.insertId) };
  }
  const [text, bound] = manager.connection.driver.escapeQueryWithParameters(sql, params, {});
  const result = (await runner.query(text, bound, true)) as QueryResult<unknown>;
  // better-sqlite3 answers the new rowid; mysql2 a header with insertId.
  const raw = result.raw as number | bigint | { insertId?: number } | undefined;
  const insertId = typeof raw === 'object' ? Number(raw?.insertId ?? 0) : Number(raw ?? 0);
  return { affected: result.affected ?? 0, insertId };
}

/**
 * A DATETIME column as read by a raw query: mysql2 answers a Date (timezone 'Z'); SQLite the text
 * TypeORM wrote, a UTC `YYYY-MM-DD HH:mm:ss.SSS` without a zone.
 */
export function instantOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value !== 'string') throw new Error(`not a datetime: ${typeof value}`);
  return new Date(/[zZ]$|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

/** A mysql2 pool or pooled connection (callback API, as TypeORM holds them). */
interface MysqlQueryable {
  query(options: { sql: string; values: unknown[] }, done: (error: Error | null, result: unknown) => void): void;
}

/**
 * Where fixed SQL can go on MySQL/MariaDB without TypeORM's query runner wrapper (an event
 * broadcast, logging and promise layers per statement, a dozen of which make one order): the
 * pool, outside a transaction (it lends a connection for the one statement); inside one, the
 * transaction's own connection. Anything else stays with TypeORM.
 */
function mysqlTargetOf(manager: EntityManager): MysqlQueryable | undefined {
  const { connection } = manager;
  if (connection.options.type !== 'mysql' && connection.options.type !== 'mariadb') return undefined;
  const runner = manager.queryRunner;
  if (!runner) return (connection.driver as unknown as { pool?: MysqlQueryable }).pool;
  if (!runner.isTransactionActive) return undefined;
  return (runner as unknown as { databaseConnection?: MysqlQueryable }).databaseConnection;
}

function mysqlQuery(
  target: MysqlQueryable,
  manager: EntityManager,
  sql: string,
  params: ObjectLiteral,
): Promise<unknown> {
  const { connection } = manager;
  const [text, values] = connection.driver.escapeQueryWithParameters(sql, params, {}) as [string, unknown[]];
  connection.logger.logQuery(text, values);
  return new Promise((resolve, reject) => {
    target.query({ sql: text, values }, (error, result) => {
      if (error) reject(new QueryFailedError(text, values, error));
      else resolve(result);
    });
  });
}
