import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { CreatedAtSubscriber } from './created-at.subscriber';

export type DatabaseKind = 'sqlite' | 'mysql';
/** TypeORM reads MariaDB's catalog differently from MySQL's, so it must be told which server it talks to. */
export type MysqlFlavor = 'mysql' | 'mariadb';

export interface DatabaseSettings {
  url?: string;
  path: string;
  migrationsRun: boolean;
}

export function databaseKind(settings: Pick<DatabaseSettings, 'url'>): DatabaseKind {
  return settings.url ? 'mysql' : 'sqlite';
}

/** Entities are found by glob so that each feature module owns its own; migrations are per driver. */
export function buildDataSourceOptions(settings: DatabaseSettings, flavor: MysqlFlavor = 'mysql'): DataSourceOptions {
  const root = join(__dirname, '..');
  const entities = [join(root, '**', '*.entity.{ts,js}')];
  const kind = databaseKind(settings);
  const migrations = [join(__dirname, 'migrations', kind, '*.{ts,js}')];
  const common = {
    entities,
    migrations,
    subscribers: [CreatedAtSubscriber],
    migrationsRun: settings.migrationsRun,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // Failed statements surface as exceptions: expected ones (duplicate keys) are mapped to business
    // codes, unexpected ones are logged once by the exception filter with the request id.
    logging: false,
  };
  if (kind === 'mysql') {
    return {
      ...common,
      type: flavor,
      url: settings.url,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      dateStrings: false,
      connectTimeout: 5000,
      // A transaction sends its statements in as few round trips as it can (MysqlTransaction,
      // runStatements). Values are always escaped by the driver, never spliced into the text.
      multipleStatements: true,
      extra: { connectionLimit: 20, waitForConnections: true, queueLimit: 0, enableKeepAlive: true },
    };
  }
  if (settings.path !== ':memory:') mkdirSync(dirname(settings.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: settings.path,
    enableWAL: true,
    timeout: 10000,
    // Foreign keys are switched on only after migrations (see sqlite-setup.ts): SQLite rebuilds a
    // table to alter it, and dropping the old copy with foreign keys on would cascade-delete rows.
    migrationsRun: false,
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('synchronous = NORMAL');
    },
  };
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  return {
    url: env.DATABASE_URL || undefined,
    path: env.DATABASE_PATH || 'data/ttms.sqlite',
    migrationsRun: !['false', '0', 'off', 'no'].includes((env.DB_MIGRATIONS_RUN ?? 'true').toLowerCase()),
  };
}

/** Asks the server what it is; a server that cannot be reached yet is taken for MySQL. */
export async function detectMysqlFlavor(url: string): Promise<MysqlFlavor> {
  const { createConnection } = await import('mysql2/promise');
  try {
    const connection = await createConnection({ uri: url, connectTimeout: 5000 });
    try {
      const [rows] = await connection.query('SELECT VERSION() AS version');
      return /mariadb/i.test(String((rows as { version: string }[])[0]?.version)) ? 'mariadb' : 'mysql';
    } finally {
      await connection.end();
    }
  } catch {
    return 'mysql';
  }
}

export async function resolveDataSourceOptions(settings: DatabaseSettings): Promise<DataSourceOptions> {
  const flavor = settings.url ? await detectMysqlFlavor(settings.url) : 'mysql';
  return buildDataSourceOptions(settings, flavor);
}
