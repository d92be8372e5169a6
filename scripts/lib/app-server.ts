/**
 * The one way the tests, the integration scripts and the bench run a server as a child process:
 * `node [nodeArgs] entry [args]` on a port, waited for until its health route answers, its output
 * kept, its memory and CPU readable, and stopped with SIGTERM, then SIGKILL for it and whatever it
 * started. Only node: built-ins, so that jest, ts-node and the bench can all load it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppServerOptions {
  /** The script node runs: a built main.js, scripts/start.js, the bench's bare app. */
  entry: string;
  args?: string[];
  /** Node's own flags, before the entry. */
  nodeArgs?: string[];
  /** The child's whole environment: nothing of this process's is added but PORT. */
  env: Record<string, string | undefined>;
  /** A free port on 127.0.0.1 when left out. */
  port?: number;
  cwd?: string;
  /** Asked until it answers 200; default /api/v1/health. */
  healthPath?: string;
  /** Default 60 s. */
  startTimeoutMs?: number;
  /** How many characters of stdout and stderr together output() keeps, the latest; default 16,000. */
  keepOutput?: number;
  /** stdout and stderr are also appended to this file. */
  logFile?: string;
  /** What the error names when the server does not come up; default the entry. */
  name?: string;
}

export interface AppServer {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<ProcessExit>;
  running(): boolean;
  signal(signal: NodeJS.Signals): void;
  /** `signal` (default SIGTERM), then SIGKILL to it and its descendants past `timeoutMs` (default 10 s). */
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<ProcessExit>;
  /** The tail of its stdout and stderr. */
  output(): string;
  /** Its pid and those of the processes it started (a launcher's server), from /proc. */
  pids(): number[];
}

const DEFAULT_KEEP = 16_000;

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = options.keepOutput ?? DEFAULT_KEEP;
  let output = '';
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  // Both pipes are always read: a child whose pipe fills up blocks on its next write.
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keep);
    log?.write(chunk);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  void exited.then(() => log?.end());
  const running = () => child.exitCode === null && child.signalCode === null;
  const pids = () => (child.pid === undefined ? [] : [child.pid, ...descendants(child.pid)]);
  // A test run or a bench that dies must not leave a server behind.
  const killOnExit = () => killAll(pids(), 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async ({
    signal = 'SIGTERM',
    timeoutMs = 10_000,
  }: { signal?: NodeJS.Signals; timeoutMs?: number } = {}): Promise<ProcessExit> => {
    if (running()) {
      const family = pids();
      const killer = setTimeout(() => killAll([...family, ...pids()], 'SIGKILL'), timeoutMs);
      child.kill(signal);
      await exited;
      clearTimeout(killer);
    }
    process.removeListener('exit', killOnExit);
    return exited;
  };
  const server: AppServer = {
    port,
    url,
    pid: child.pid as number,
    child,
    exited,
    running,
    signal: (signal) => child.kill(signal),
    stop,
    output: () => output,
    pids,
  };
  try {
    await waitUntilHealthy(server, options);
  } catch (error) {
    await stop();
    throw error;
  }
  return server;
}

async function waitUntilHealthy(server: AppServer, options: AppServerOptions): Promise<void> {
  const healthUrl = `${server.url}${options.healthPath ?? '/api/v1/health'}`;
  const limitMs = options.startTimeoutMs ?? 60_000;
  const name = options.name ?? options.entry;
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (!server.running()) {
      const { code, signal } = await server.exited;
      throw new Error(`${name} exited (${code ?? signal}) before answering ${healthUrl}:\n${server.output()}`);
    }
    try {
      const res = await fetch(healthUrl, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not answer ${healthUrl} within ${limitMs} ms:\n${server.output()}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function killAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of new Set(pids)) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

/** Children, grandchildren… of `pid`, from /proc (Linux); none elsewhere. */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const walk = (parent: number) => {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      return;
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ').filter(Boolean).map(Number)) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

export interface MemoryReading {
  /** VmRSS */
  rssMb: number;
  /** VmHWM: the peak RSS since start or since the last resetPeakRss. */
  hwmMb: number;
  /** RssAnon: the process's own pages, without the node binary's and libraries' (shared with other node processes). */
  anonMb: number;
}

/** From /proc/<pid>/status; NaN when unreadable. */
export function processMemory(pid: number): MemoryReading {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, anonMb: kb('RssAnon') / 1024 };
  } catch {
    return { rssMb: NaN, hwmMb: NaN, anonMb: NaN };
  }
}

/** Resets the kernel's peak-RSS mark (VmHWM) of `pid`; false where that is not allowed. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

/** CPU time a process used so far (user + system, all its threads), from /proc/<pid>/stat; NaN if unreadable. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
