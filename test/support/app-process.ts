import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AppServer, freePort, ProcessExit, startAppServer } from '../../scripts/lib/app-server';
import { buildOnce, spawnedAppEnv, stopApps } from './spawn-app';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export type { ProcessExit };

/**
 * One real server process (`node main.js` of the private build that spawn-app.ts makes), with what
 * the fault tests need and `spawnApps` does not give: its pid, signals, and how it exited.
 */
export interface AppProcess {
  port: number;
  url: string;
  http: TestAgent;
  pid: number;
  exited: Promise<ProcessExit>;
  running: () => boolean;
  signal: (signal: NodeJS.Signals) => void;
  /** SIGTERM, SIGKILL after a timeout; removes its folder. */
  stop: () => Promise<void>;
  /** The tail of its stdout and stderr (LOG_LEVEL=error by default), for failure messages. */
  output: () => string;
}

/** `env`, or `env(i)` for the i-th process (say, to give each its own database node), as in spawnApps. */
export async function startAppProcesses(
  count: number,
  env: Record<string, string> | ((index: number) => Record<string, string>),
): Promise<AppProcess[]> {
  const apps: AppProcess[] = [];
  try {
    for (let i = 0; i < count; i++) apps.push(await startAppProcess(typeof env === 'function' ? env(i) : env));
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop()));
    throw error;
  }
  return apps;
}

/** Stops the processes and removes the private build. */
export async function stopAppProcesses(apps: AppProcess[]): Promise<void> {
  await Promise.all(apps.map((app) => app.stop()));
  await stopApps([]);
}

async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const dist = await buildOnce();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ttms-process-'));
  let server: AppServer;
  try {
    server = await startAppServer({
      entry: join(dist, 'main.js'),
      cwd: dir,
      port,
      // Errors are kept (not silenced) so that a failing fault test can show what the process said.
      env: { ...spawnedAppEnv(port, dir), LOG_LEVEL: 'error', ...env },
      startTimeoutMs: START_TIMEOUT_MS,
      keepOutput: 8000,
      name: 'app process',
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: server.url,
    http: request(server.url),
    pid: server.pid,
    exited: server.exited,
    running: server.running,
    signal: server.signal,
    output: server.output,
    stop: async () => {
      await server.stop({ timeoutMs: STOP_TIMEOUT_MS });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
