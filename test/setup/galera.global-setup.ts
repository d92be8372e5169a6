import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { resolveDataSourceOptions } from '../../src/database/database.options';
import { galeraUrls } from '../support/galera-urls';

/**
 * One fresh database on the cluster per run, created and migrated through node 1: Galera replicates
 * the DDL to the other nodes before it answers (total order isolation).
 */
export default async function globalSetup(): Promise<void> {
  const [first] = galeraUrls();
  const database = `ttms_galera_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = await new DataSource({ type: 'mysql', url: first }).initialize();
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  const dataSource = await new DataSource(
    await resolveDataSourceOptions({ url: galeraUrls(database)[0], path: '', migrationsRun: false }),
  ).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  process.env.TEST_GALERA_DATABASE = database;
}
