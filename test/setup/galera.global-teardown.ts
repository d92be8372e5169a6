import { DataSource } from 'typeorm';
import { galeraUrls } from '../support/galera-urls';

export default async function globalTeardown(): Promise<void> {
  const database = process.env.TEST_GALERA_DATABASE;
  if (!database) return;
  const admin = await new DataSource({ type: 'mysql', url: galeraUrls()[0] }).initialize();
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.destroy();
}
