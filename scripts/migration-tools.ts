import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, DatabaseKind, resolveDataSourceOptions } from '../src/database/database.options';

/** A throwaway database of one kind with every committed migration applied. */
export async function scratchDatabase(
  kind: DatabaseKind,
  serverUrl?: string,
): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const suffix = randomBytes(4).toString('hex');
  if (kind === 'sqlite') {
    const path = join(tmpdir(), `ttms-migrate-${suffix}.sqlite`);
    const dataSource = await new DataSource({ ...buildDataSourceOptions({ path, migrationsRun: false }) }).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return {
      dataSource,
      drop: async () => {
        await dataSource.destroy();
        for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
      },
    };
  }
  if (!serverUrl) throw new Error('a MySQL URL is needed (MIGRATION_DATABASE_URL or TEST_DATABASE_URL)');
  const database = `ttms_migrate_${suffix}`;
  const admin = await new DataSource({ type: 'mysql', url: serverUrl }).initialize();
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const dataSource = await new DataSource(
    await resolveDataSourceOptions({ url: url.toString(), path: '', migrationsRun: false }),
  ).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.destroy();
    },
  };
}

/** The SQL that would bring the database in line with the entities: empty when migrations are in step. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return { up: log.upQueries.map((q) => q.query), down: log.downQueries.map((q) => q.query) };
}
