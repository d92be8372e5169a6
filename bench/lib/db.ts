import { Sqlite } from './untyped';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';

export type DbKind = 'sqlite' | 'mariadb';

/** One fresh database for one server run: a new SQLite file, or a new database on the MariaDB server. */
export interface DbTarget {
  kind: DbKind;
  /** SQLite file path. */
  path?: string;
  /** mysql://… URL of the fresh database. */
  url?: string;
  /** Server env that points the app at it. */
  env: Record<string, string>;
}

/** Raw SQL that reads the same on both drivers (`?` placeholders, strings and numbers only). */
export interface Sql {
  all<T = Record<string, unknown>>(sql: string, params?: (string | number | null)[]): Promise<T[]>;
  run(sql: string, params?: (string | number | null)[]): Promise<void>;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The MariaDB server URL, refused unless it is on this machine (the bench only ever targets 127.0.0.1). */
export function mariadbServerUrl(raw: string | undefined): { url?: string; skip?: string } {
  if (!raw) return { skip: 'TEST_DATABASE_URL is unset (e.g. TEST_DATABASE_URL=mysql://root@127.0.0.1:3306/)' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { skip: `TEST_DATABASE_URL is not a URL` };
  }
  if (!LOOPBACK.has(url.hostname)) return { skip: `TEST_DATABASE_URL host ${url.hostname} is not 127.0.0.1` };
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  return { url: url.toString() };
}

async function mysqlConnect(url: string): Promise<Connection> {
  const { createConnection } = await import('mysql2/promise');
  return createConnection({ uri: url, timezone: 'Z', connectTimeout: 5000 });
}

export async function createTarget(kind: DbKind, dir: string, name: string, serverUrl?: string): Promise<DbTarget> {
  if (kind === 'sqlite') {
    const path = join(dir, `${name}.sqlite`);
    return { kind, path, env: { DATABASE_PATH: path } };
  }
  const database = `ttms_bench_${name}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = await mysqlConnect(serverUrl!);
  try {
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl!);
  url.pathname = `/${database}`;
  return { kind, url: url.toString(), env: { DATABASE_URL: url.toString() } };
}

export async function dropTarget(target: DbTarget, serverUrl?: string): Promise<void> {
  if (target.kind !== 'mariadb' || !target.url) return;
  const database = new URL(target.url).pathname.slice(1);
  if (!database.startsWith('ttms_bench_')) return;
  const admin = await mysqlConnect(serverUrl!);
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await admin.end();
  }
}

export async function openSql(target: DbTarget): Promise<Sql> {
  if (target.kind === 'sqlite') {
    const db = new Sqlite(target.path!);
    db.pragma('busy_timeout = 10000');
    return {
      all: <T>(sql: string, params: (string | number | null)[] = []) =>
        Promise.resolve(db.prepare(sql).all(...params) as T[]),
      run: (sql: string, params: (string | number | null)[] = []) => {
        db.prepare(sql).run(...params);
        return Promise.resolve();
      },
      close: () => {
        db.close();
        return Promise.resolve();
      },
    };
  }
  const connection = await mysqlConnect(target.url!);
  return {
    all: async <T>(sql: string, params: (string | number | null)[] = []) => {
      const [rows] = await connection.query(sql, params);
      return rows as T[];
    },
    run: async (sql: string, params: (string | number | null)[] = []) => {
      await connection.query(sql, params);
    },
    close: () => connection.end(),
  };
}
