import { EntityManager, ObjectLiteral, QueryFailedError } from 'typeorm';
import type { QueryResult } from 'typeorm/query-runner/QueryResult';
import { MysqlQueryable, MysqlTransaction } from './mysql-transaction';
import { serializerOf } from './sqlite-serializer';
import { Answers, PREVIOUS_INSERT_ID, readStatement, Statement, writeStatement, WriteResult } from './statement';

/**
 * Fixed SQL with named `:params` for the hot paths (hold, pay, seat map), without the query builder
 * and entity hydration. The parameters still go through the driver's own escaping, so a Date is
 * written the way the entities write it (UTC text on SQLite) and integers are bound, not inlined.
 * Identifiers are unquoted snake_case (and `rows`/`cols` always table-qualified) so that one text
 * runs on SQLite and MySQL/MariaDB.
 */
export async function selectRows<T>(manager: EntityManager, sql: string, params: ObjectLiteral): Promise<T[]> {
  const [rows] = await runStatements(manager, [readStatement<T>(sql, params)]);
  return rows;
}

/** One statement, answered as its statement reads it. */
export async function runStatement<R>(manager: EntityManager, statement: Statement<R>): Promise<R> {
  const [answer] = await runStatements(manager, [statement]);
  return answer;
}

/** A write inside the caller's transaction: the affected row count and, after an INSERT, the new id. */
export async function writeRows(manager: EntityManager, sql: string, params: ObjectLiteral): Promise<WriteResult> {
  const [result] = await runStatements(manager, [writeStatement(sql, params)]);
  return result;
}

/**
 * Statements in order, as one round trip where the database allows it: on MySQL/MariaDB one
 * multi-statement query (the server runs them in order and stops at the first error, which fails
 * the whole call); on SQLite, in process, one after another. Later statements must not depend on
 * what the caller would read from earlier ones, except through PREVIOUS_INSERT_ID. Inside the sale
 * path, `Transaction.send` groups them for you.
 */
export async function runStatements<const S extends readonly Statement<unknown>[]>(
  manager: EntityManager,
  statements: S,
): Promise<Answers<S>> {
  if (!statements.length) throw new Error('runStatements needs at least one statement');
  const answers = await execute(manager, statements);
  return statements.map((statement, i) => statement.decode(answers[i])) as Answers<S>;
}

async function execute(
  manager: EntityManager,
  statements: readonly Statement<unknown>[],
): Promise<(unknown[] | WriteResult)[]> {
  const transaction = MysqlTransaction.of(manager);
  if (transaction) {
    return onMysql(manager, statements, (texts, values) => transaction.send(texts, values));
  }
  const isWrite = statements.some((s) => s.kind === 'write');
  if (isWrite && !manager.queryRunner?.isTransactionActive) throw new Error('writes run inside a transaction');
  // A manager without a runner of its own: the data source's, outside any transaction.
  const serializer = manager.queryRunner ? undefined : serializerOf(manager.connection);
  if (serializer) return inSequence(statements, (s, params) => serializer.select(s.sql, params));
  const pool = manager.queryRunner ? undefined : mysqlPoolOf(manager);
  if (pool) return onMysql(manager, statements, (texts, values) => queryMysql(pool, texts, values));
  return inSequence(statements, (s, params) => throughTypeorm(manager, s, params));
}

/** One at a time, each binding the id that the one before it generated where it asks for it. */
async function inSequence(
  statements: readonly Statement<unknown>[],
  run: (
    statement: Statement<unknown>,
    params: ObjectLiteral,
  ) => unknown[] | WriteResult | Promise<unknown[] | WriteResult>,
): Promise<(unknown[] | WriteResult)[]> {
  const answers: (unknown[] | WriteResult)[] = [];
  statements.forEach((statement, i) => assertIdSource(statement, statements[i - 1]));
  for (const statement of statements) {
    const previous = answers[answers.length - 1] as WriteResult | undefined;
    answers.push(await run(statement, withBoundIds(statement.params, previous)));
  }
  return answers;
}

function withBoundIds(params: ObjectLiteral, previous: WriteResult | undefined): ObjectLiteral {
  if (!Object.values(params).includes(PREVIOUS_INSERT_ID)) return params;
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, value === PREVIOUS_INSERT_ID ? previous?.insertId : value]),
  );
}

async function onMysql(
  manager: EntityManager,
  statements: readonly Statement<unknown>[],
  send: (texts: string[], values: unknown[][]) => Promise<unknown[]>,
): Promise<(unknown[] | WriteResult)[]> {
  const { connection } = manager;
  const texts: string[] = [];
  const values: unknown[][] = [];
  statements.forEach((statement, i) => {
    const [text, bound] = connection.driver.escapeQueryWithParameters(
      withServerSideIds(statement, statements[i - 1]),
      statement.params,
      {},
    ) as [string, unknown[]];
    connection.logger.logQuery(text, bound);
    texts.push(text);
    values.push(bound);
  });
  let answers: unknown[];
  try {
    answers = await send(texts, values);
  } catch (error) {
    throw new QueryFailedError(texts.join(';\n'), values.flat(), error as Error);
  }
  return answers.map((answer, i) => {
    if (statements[i].kind === 'rows') return answer as unknown[];
    const header = answer as { affectedRows: number; insertId: number | string };
    return { affected: header.affectedRows, insertId: Number(header.insertId) };
  });
}

/** PREVIOUS_INSERT_ID as the server's own LAST_INSERT_ID(), which a multi-row INSERT reads once. */
function withServerSideIds(statement: Statement<unknown>, previous: Statement<unknown> | undefined): string {
  assertIdSource(statement, previous);
  return statement.sql.replace(/:([A-Za-z0-9_]+)/g, (match, name: string) =>
    statement.params[name] === PREVIOUS_INSERT_ID ? 'LAST_INSERT_ID()' : match,
  );
}

/** Any other statement in between would leave an id that is not the one meant (a seat version, say). */
function assertIdSource(statement: Statement<unknown>, previous: Statement<unknown> | undefined): void {
  const name = Object.keys(statement.params).find((key) => statement.params[key] === PREVIOUS_INSERT_ID);
  if (name && !(previous && /^\s*INSERT\b/i.test(previous.sql))) throw new Error(`:${name} follows no INSERT`);
}

function queryMysql(target: MysqlQueryable, texts: string[], values: unknown[][]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    target.query({ sql: texts.join(';\n'), values: values.flat() }, (error, result) => {
      if (error) reject(error);
      else resolve(texts.length === 1 ? [result] : (result as unknown[]));
    });
  });
}

async function throughTypeorm(
  manager: EntityManager,
  statement: Statement<unknown>,
  params: ObjectLiteral,
): Promise<unknown[] | WriteResult> {
  const [text, bound] = manager.connection.driver.escapeQueryWithParameters(statement.sql, params, {});
  if (statement.kind === 'rows') return manager.query<unknown[]>(text, bound);
  const result = (await manager.queryRunner!.query(text, bound, true)) as QueryResult<unknown>;
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

/**
 * Outside a transaction on MySQL/MariaDB, fixed SQL goes to the pool (it lends a connection for
 * the one query) rather than through TypeORM's query runner wrapper (an event broadcast, logging
 * and promise layers per statement).
 */
function mysqlPoolOf(manager: EntityManager): MysqlQueryable | undefined {
  const { connection } = manager;
  if (connection.options.type !== 'mysql' && connection.options.type !== 'mariadb') return undefined;
  return (connection.driver as unknown as { pool?: MysqlQueryable }).pool;
}
