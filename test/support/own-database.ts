import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

/**
 * A database of the test file's own on the run's MariaDB server, for tests whose app processes sweep
 * provider payments: a sweep asks its own gateways about every lapsed payment in its database, so on
 * the database the other test files share it would close their payments. The app migrates it.
 */
export async function ownDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = new URL(process.env.TEST_MYSQL_DATABASE_URL as string);
  server.pathname = '/';
  const name = `ttms_own_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = await new DataSource({ type: 'mysql', url: server.toString() }).initialize();
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.destroy();
    },
  };
}
