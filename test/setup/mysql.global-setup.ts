import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { resolveDataSourceOptions } from '../../src/database/database.options';

/** One fresh database per run: created and migrated here, dropped by the teardown (workers inherit the env). */
export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL as string;
  const database = `ttms_e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = await new DataSource({ type: 'mysql', url: serverUrl }).initialize();
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const dataSource = await new DataSource(
    await resolveDataSourceOptions({ url: url.toString(), path: '', migrationsRun: false }),
  ).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  process.env.TEST_MYSQL_DATABASE_URL = url.toString();
}
