import { DataSource } from 'typeorm';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.TEST_MYSQL_DATABASE_URL;
  if (!url) return;
  const database = new URL(url).pathname.slice(1);
  const admin = await new DataSource({ type: 'mysql', url: process.env.TEST_DATABASE_URL as string }).initialize();
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.destroy();
}
