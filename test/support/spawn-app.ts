import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { freePort, startAppServer } from '../../scripts/lib/app-server';

const ROOT = join(__dirname, '..', '..');
const START_TIMEOUT_MS = 60_000;

export interface SpawnedApp {
  port: number;
  url: string;
  http: TestAgent;
  stop: () => Promise<void>;
}

let build: Promise<string> | undefined;

/**
 * Compiles the app the way production does (`npx nest build`), once per test process, and answers a
 * private copy of dist/: other work in the same tree (npm start, the OpenAPI export) rebuilds dist/
 * and deletes it first, which would pull files from under running processes.
 */
export function buildOnce(): Promise<string> {
  build ??= (async () => {
    for (let attempt = 1; ; attempt++) {
      await nestBuild();
      const copy = mkdtempSync(join(tmpdir(), 'ttms-dist-'));
      cpSync(join(ROOT, 'dist'), copy, { recursive: true });
      // The copy runs from outside the tree, so it needs the tree's packages beside it.
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
      const missing = missingOutputs(copy);
      if (!missing.length) return copy;
      rmSync(copy, { recursive: true, force: true });
      if (attempt >= 3) throw new Error(`nest build left out ${missing.slice(0, 5).join(', ')}`);
    }
  })();
  return build;
}

/** Stops the processes and removes the built copy (the next spawnApps builds again). */
export async function stopApps(apps: SpawnedApp[]): Promise<void> {
  await Promise.all(apps.map((app) => app.stop()));
  const copy = await build?.catch(() => undefined);
  build = undefined;
  if (copy) rmSync(copy, { recursive: true, force: true });
}

function nestBuild(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    execFile('npx', ['nest', 'build'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`nest build failed:\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

/** Sources without their compiled file in `out` (a build raced by another one). */
function missingOutputs(out: string, dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return missingOutputs(out, path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts') || entry.name.endsWith('.d.ts')) return [];
    const compiled = join(out, relative(join(ROOT, 'src'), path)).replace(/\.ts$/, '.js');
    return existsSync(compiled) ? [] : [relative(ROOT, path)];
  });
}

/**
 * Starts `count` real server processes (`node main.js` of the built copy), each on its own free port,
 * and waits until each answers its health check. `env` (or `env(i)` for the i-th process, say to
 * give each its own database node) must carry DATABASE_URL and JWT_SECRET (the same secret as the
 * tokens the test issues); the rest defaults to a quiet test setup.
 */
export async function spawnApps(
  count: number,
  env: Record<string, string> | ((index: number) => Record<string, string>),
): Promise<SpawnedApp[]> {
  const dist = await buildOnce();
  const apps: SpawnedApp[] = [];
  try {
    for (let i = 0; i < count; i++) apps.push(await spawnApp(dist, typeof env === 'function' ? env(i) : env));
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop()));
    throw error;
  }
  return apps;
}

/** What every spawned server runs with, before the caller's own settings. */
export function spawnedAppEnv(port: number, dir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    PORT: String(port),
    DB_MIGRATIONS_RUN: 'false',
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    UPLOADS_DIR: join(dir, 'uploads'),
  };
}

async function spawnApp(dist: string, env: Record<string, string>): Promise<SpawnedApp> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ttms-spawned-'));
  try {
    const server = await startAppServer({
      entry: join(dist, 'main.js'),
      cwd: ROOT,
      port,
      env: { ...spawnedAppEnv(port, dir), ...env },
      startTimeoutMs: START_TIMEOUT_MS,
      keepOutput: 4000,
      name: 'app process',
    });
    const stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    return { port, url: server.url, http: request(server.url), stop };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
