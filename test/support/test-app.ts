import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  db: DataSource;
  dir: string;
  close: () => Promise<void>;
}

/** Settings every e2e run shares: fast argon2, fixed captcha, no per-IP limits, no demo data. */
export function testEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    JWT_SECRET: 'e2e-secret-0123456789abcdef',
    CAPTCHA_FIXED_CODE: 'abcd',
    RATE_LIMITS: 'off',
    DEMO_DATA: 'false',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    LOG_LEVEL: 'silent',
    UPLOADS_DIR: join(dir, 'uploads'),
    SWEEP_SECONDS: '1',
  };
  if (process.env.TEST_DB_KIND === 'mysql') {
    env.DATABASE_URL = process.env.TEST_MYSQL_DATABASE_URL as string;
    env.DB_MIGRATIONS_RUN = 'false';
  } else {
    env.DATABASE_PATH = join(dir, 'ttms.sqlite');
    env.DB_MIGRATIONS_RUN = 'true';
  }
  return env;
}

/**
 * Boots the real app in this test file's process: a fresh SQLite file per file, or the run's MySQL
 * database (migrated once by the global setup; tests use unique data instead of cleanup).
 */
export async function bootTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'ttms-e2e-'));
  Object.assign(process.env, testEnv(dir), overrides);
  // Imported only now: ConfigModule reads process.env when the module graph is first loaded.
  const { createApp } = await import('../../src/bootstrap');
  let app: INestApplication;
  try {
    app = await createApp({ logger: false });
    await app.init();
  } catch (error) {
    // Some driver errors (an AggregateError of refused connections) carry no message of their own.
    throw new Error(`test app failed to boot: ${inspect(error, { depth: 3 })}`);
  }
  const db = app.get(DataSource);
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    dir,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A short unique suffix, so that tests sharing one MySQL database never collide. */
export function unique(prefix = ''): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}
