import { ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { JsonClient } from './http';
import { sleep } from './util';

export interface MemoryReading {
  rssMb: number;
  hwmMb: number;
}

/** What the runner needs from a server started for one database. */
export interface ServerOptions {
  root: string;
  /** The built app (its main.js). */
  distDir: string;
  env: Record<string, string>;
  logFile: string;
  /** When set, the server runs with an inspector preload that writes one .cpuprofile per phase here. */
  cpuProfDir?: string;
  tmpDir: string;
}

// Knobs of the environment the bench sets itself; anything the caller's shell has for them is dropped.
const OWN_KEYS = [
  'DATABASE_URL',
  'DATABASE_PATH',
  'REDIS_URL',
  'ARGON2_MEMORY_KIB',
  'ARGON2_TIME_COST',
  'ADMIN_NAME',
  'ADMIN_PASSWORD',
  'SMTP_URL',
  'DB_MIGRATIONS_RUN',
  'ORDER_HOLD_SECONDS',
  'NODE_OPTIONS',
];

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Runs inside the server when profiling: the Profiler domain, started and stopped per phase over IPC. */
const PROFILER_PRELOAD = `
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const session = new inspector.Session();
session.connect();
const post = (method, params) => new Promise((ok, fail) => session.post(method, params || {}, (e, r) => (e ? fail(e) : ok(r))));
process.on('message', async (msg) => {
  if (!msg || !msg.prof) return;
  try {
    if (msg.prof === 'start') {
      await post('Profiler.enable');
      await post('Profiler.start');
      process.send({ prof: 'started' });
    } else if (msg.prof === 'stop') {
      const { profile } = await post('Profiler.stop');
      const file = join(process.env.BENCH_CPU_PROF_DIR, msg.name + '.cpuprofile');
      writeFileSync(file, JSON.stringify(profile));
      process.send({ prof: 'stopped', file });
    }
  } catch (e) {
    process.send({ prof: 'error', message: String(e) });
  }
});
if (process.channel) process.channel.unref();
`;

export class ServerProcess {
  private sampler?: NodeJS.Timeout;
  private phasePeakKb = 0;
  private hwmReset = false;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly logFile: string,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const port = await freePort();
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !OWN_KEYS.includes(key)) env[key] = value;
    }
    Object.assign(env, options.env, { PORT: String(port) });
    // For trying runtime settings on the server alone (e.g. --max-old-space-size=192): the bench's own
    // processes keep the caller's NODE_OPTIONS out of it.
    if (process.env.BENCH_SERVER_NODE_OPTIONS) env.NODE_OPTIONS = process.env.BENCH_SERVER_NODE_OPTIONS;
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const entry = join(options.distDir, 'main.js');
    let child: ChildProcess;
    // A diagnostic hook: BENCH_SERVER_PRELOAD=/abs/path.js is loaded into the server first (-r).
    const extra = process.env.BENCH_SERVER_PRELOAD ? ['-r', process.env.BENCH_SERVER_PRELOAD] : [];
    if (options.cpuProfDir) {
      const preload = join(options.tmpDir, 'cpu-prof-preload.js');
      writeFileSync(preload, PROFILER_PRELOAD);
      env.BENCH_CPU_PROF_DIR = options.cpuProfDir;
      child = fork(entry, [], {
        cwd: options.root,
        env,
        execArgv: [...extra, '-r', preload],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
    } else {
      child = spawn(process.execPath, [...extra, entry], { cwd: options.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    }
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const server = new ServerProcess(child, port, options.logFile);
    await server.waitHealthy(90_000);
    server.sampler = setInterval(() => server.sample(), 150);
    server.sampler.unref();
    return server;
  }

  private async waitHealthy(limitMs: number): Promise<void> {
    const client = new JsonClient(this.port, 1, 2000);
    const deadline = Date.now() + limitMs;
    try {
      while (Date.now() < deadline) {
        if (this.child.exitCode !== null) break;
        const reply = await client.request('GET', '/health');
        if (reply.status === 200) return;
        await sleep(200);
      }
    } finally {
      client.close();
    }
    const tail = this.logTail();
    await this.stop();
    throw new Error(`server did not become healthy (exit ${this.child.exitCode}); log tail:\n${tail}`);
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  memory(): MemoryReading {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
    } catch {
      return { rssMb: NaN, hwmMb: NaN };
    }
  }

  /** CPU time the server used so far (user + system, all its threads), from /proc/<pid>/stat. */
  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  private sample(): void {
    const { rssMb } = this.memory();
    if (Number.isFinite(rssMb)) this.phasePeakKb = Math.max(this.phasePeakKb, rssMb * 1024);
  }

  /** Peak RSS from here to endPhase: sampled every 150 ms, and the kernel's high-water mark reset (clear_refs 5). */
  startPhase(): void {
    this.phasePeakKb = this.memory().rssMb * 1024;
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmReset = true;
    } catch {
      this.hwmReset = false;
    }
  }

  endPhase(): number {
    this.sample();
    const { hwmMb } = this.memory();
    return Math.max(this.phasePeakKb / 1024, this.hwmReset ? hwmMb : 0);
  }

  async profile(action: 'start' | 'stop', name = ''): Promise<string | undefined> {
    if (!this.child.send) return undefined;
    const answer = new Promise<{ prof: string; file?: string; message?: string }>((resolve) => {
      const onMessage = (msg: { prof?: string }) => {
        if (!msg?.prof) return;
        this.child.off('message', onMessage);
        resolve(msg as { prof: string });
      };
      this.child.on('message', onMessage);
    });
    this.child.send({ prof: action, name });
    type Answer = { prof: string; file?: string; message?: string };
    const timeout = sleep(30_000).then((): Answer => ({ prof: 'error', message: 'no answer' }));
    const reply: Answer = await Promise.race([answer, timeout]);
    if (reply.prof === 'error') throw new Error(`profiler ${action}: ${reply.message}`);
    return reply.file;
  }

  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const clean = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!clean) {
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}

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

/** The local MariaDB (or MySQL) server's pid, to count its CPU next to the app's; undefined if not found here. */
export function localDatabasePid(): number | undefined {
  for (const name of ['mariadbd', 'mysqld']) {
    try {
      const out = execFileSync('pidof', ['-s', name], { encoding: 'utf8' }).trim();
      if (out) return Number(out);
    } catch {
      // not running under this name
    }
  }
  return undefined;
}
