import { DataSource, Logger, ObjectLiteral, QueryFailedError, QueryRunner } from 'typeorm';
import { DateUtils } from 'typeorm/util/DateUtils';

/** The part of better-sqlite3 used here (the package ships no types). */
interface Statement {
  all(...values: unknown[]): unknown[];
  run(...values: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
interface Database {
  prepare(sql: string): Statement;
}

/**
 * Statement texts kept prepared. The hot paths use a few hundred at most: a batch of holds reads its
 * claims with one lookup per seat, so its text differs with the batch's seat and user counts.
 */
const STATEMENTS_KEPT = 500;

/** One per connection's runner (SQLite has one): its prepared statements. */
const perRunner = new WeakMap<QueryRunner, SqliteDirect>();

/** Where a `?` takes its value from: a parameter, or one element of a list parameter. */
interface Slot {
  name: string;
  index?: number;
}

interface Compiled {
  text: string;
  slots: Slot[];
}

/**
 * Fixed SQL run straight on better-sqlite3 by SqliteSerializer: the BEGIN and COMMIT of every
 * transaction and the hottest reads outside transactions, where TypeORM's query runner adds a parameter
 * rewrite, a logger and an event broadcast per statement (bench/NOTES.md). Statements inside a
 * transaction go through TypeORM's runner: skipping it there measured as noise. Values are bound as
 * TypeORM's SQLite driver would write them (UTC datetime text, booleans as 0/1), integers as INTEGER
 * (see sqlite-parameters).
 */
export class SqliteDirect {
  private readonly compiled = new Map<string, Compiled>();
  private readonly statements = new Map<string, Statement>();

  /** `logger` gets every statement, as TypeORM's runner would log it (query logging, tests counting queries). */
  constructor(
    private readonly db: Database,
    private readonly logger?: Logger,
  ) {}

  /** The one instance (and statement cache) of the connection behind this runner. */
  static forRunner(runner: QueryRunner, dataSource: DataSource): SqliteDirect {
    let direct = perRunner.get(runner);
    if (!direct) {
      const db = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
      direct = new SqliteDirect(db, dataSource.logger);
      perRunner.set(runner, direct);
    }
    return direct;
  }

  all<T>(sql: string, params: ObjectLiteral): T[] {
    const { statement, values } = this.prepare(sql, params);
    try {
      return statement.all(...values) as T[];
    } catch (error) {
      throw new QueryFailedError(sql, values, error as Error);
    }
  }

  run(sql: string, params: ObjectLiteral): { affected: number; insertId: number } {
    const { statement, values } = this.prepare(sql, params);
    try {
      const result = statement.run(...values);
      return { affected: result.changes, insertId: Number(result.lastInsertRowid) };
    } catch (error) {
      throw new QueryFailedError(sql, values, error as Error);
    }
  }

  private prepare(sql: string, params: ObjectLiteral): { statement: Statement; values: unknown[] } {
    // A `:...list` becomes one `?` per element, so its text (and cache key) depends on the lengths.
    const key = sql.includes(':...') ? `${sql}\u0000${listLengths(sql, params)}` : sql;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      const slots: Slot[] = [];
      const text = sql.replace(PARAMETER, (_match, spread: string | undefined, name: string) => {
        if (!spread) {
          slots.push({ name });
          return '?';
        }
        const list = listOf(name, params);
        list.forEach((_value, index) => slots.push({ name, index }));
        return list.map(() => '?').join(', ');
      });
      compiled = { text, slots };
      remember(this.compiled, key, compiled);
    }
    let statement = this.statements.get(compiled.text);
    if (!statement) {
      statement = this.db.prepare(compiled.text);
      remember(this.statements, compiled.text, statement);
    }
    const values = compiled.slots.map((slot) => bindable(slot, params));
    this.logger?.logQuery(compiled.text, values);
    return { statement, values };
  }
}

const PARAMETER = /:(\.\.\.)?([A-Za-z0-9_]+)/g;

function listOf(name: string, params: ObjectLiteral): unknown[] {
  const list: unknown = params[name];
  if (!Array.isArray(list) || !list.length) throw new Error(`:...${name} needs a non-empty list`);
  return list;
}

function listLengths(sql: string, params: ObjectLiteral): string {
  return [...sql.matchAll(PARAMETER)]
    .filter((match) => match[1])
    .map((match) => listOf(match[2], params).length)
    .join(',');
}

function bindable(slot: Slot, params: ObjectLiteral): unknown {
  if (!Object.prototype.hasOwnProperty.call(params, slot.name)) throw new Error(`no value for :${slot.name}`);
  const value: unknown = slot.index === undefined ? params[slot.name] : (params[slot.name] as unknown[])[slot.index];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return DateUtils.mixedDateToUtcDatetimeString(value);
  return value;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= STATEMENTS_KEPT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, value);
}
