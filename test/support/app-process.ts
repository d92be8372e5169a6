import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { freePort } from './private-mariadb';
import { buildOnce, spawnedAppEnv, stopApps } from './spawn-app';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

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

export async function startAppProcesses(count: number, env: Record<string, string>): Promise<AppProcess[]> {
  const apps: AppProcess[] = [];
  try {
    for (let i = 0; i < count; i++) apps.push(await startAppProcess(env));
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
  const child = spawn(process.execPath, [join(dist, 'main.js')], {
    cwd: dir,
    // Errors are kept (not silenced) so that a failing fault test can show what the process said.
    env: { ...spawnedAppEnv(port, dir), LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const running = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    port,
    url,
    http: request(url),
    pid: child.pid as number,
    exited,
    running,
    signal: (signal) => child.kill(signal),
    output: () => output,
    stop: async () => {
      if (running()) {
        const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(killer);
      }
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilHealthy(app, child);
  } catch (error) {
    await app.stop();
    throw error;
  }
  return app;
}

async function waitUntilHealthy(app: AppProcess, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!app.running()) throw new Error(`app process exited with ${child.exitCode}:\n${app.output()}`);
    try {
      const res = await fetch(`${app.url}/api/v1/health`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`app process did not answer ${app.url}/api/v1/health in ${START_TIMEOUT_MS} ms:\n${app.output()}`);
}
