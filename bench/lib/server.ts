import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { AppServer, processCpuMs, processMemory, resetPeakRss, startAppServer } from '../../scripts/lib/app-server';
import { sleep } from './util';

export { processCpuMs };

/** What the runner needs from a server started for one measure. */
export interface ServerOptions {
  root: string;
  /** The built script `npm start` runs (the app's main.js, or the bare app's). */
  entry: string;
  env: Record<string, string>;
  logFile: string;
  /** When set, the server runs with an inspector preload that writes one .cpuprofile per phase here. */
  cpuProfDir?: string;
  tmpDir: string;
  /** Default /api/v1/health. */
  healthPath?: string;
  /** Names the profiler's control socket. */
  name: string;
}

/** How the server process ended up running: what scripts/start.js gave it. */
export interface Runtime {
  /** The server's command line, paths relative to the tree. */
  command: string;
  threadpool: string;
  /** The launcher's own memory (RssAnon, MB) when start.js runs the server as its child (Node older than 22.15). */
  launcherMb?: number;
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

/**
 * Runs inside the server when profiling (loaded through NODE_OPTIONS, so also into start.js, where it
 * stays idle): the Profiler domain, started and stopped per phase over a Unix socket, which reaches
 * the server through the launcher where an IPC channel would not.
 */
const PROFILER_PRELOAD = `
if (require('node:path').basename(process.argv[1] || '') === 'main.js') {
  const inspector = require('node:inspector');
  const { writeFileSync, rmSync } = require('node:fs');
  const { join } = require('node:path');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((ok, fail) => session.post(method, params || {}, (e, r) => (e ? fail(e) : ok(r))));
  const handle = async (msg) => {
    if (msg.prof === 'start') {
      await post('Profiler.enable');
      await post('Profiler.start');
      return { prof: 'started' };
    }
    const { profile } = await post('Profiler.stop');
    const file = join(process.env.BENCH_CPU_PROF_DIR, msg.name + '.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    return { prof: 'stopped', file };
  };
  const socketPath = process.env.BENCH_CPU_PROF_SOCKET;
  rmSync(socketPath, { force: true });
  const control = require('node:net').createServer((socket) => {
    socket.once('data', (line) => {
      handle(JSON.parse(String(line))).then(
        (reply) => socket.end(JSON.stringify(reply)),
        (e) => socket.end(JSON.stringify({ prof: 'error', message: String(e) })),
      );
    });
  });
  control.listen(socketPath);
  control.unref();
}
`;

/** The environment a bench server starts from: the caller's, less the knobs the bench sets itself. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !OWN_KEYS.includes(key)) env[key] = value;
  }
  return env;
}

/**
 * A server run the way `npm start` runs it: `node scripts/start.js --entry <built main.js>`, which
 * applies the runtime bounds of the Docker image (heap, thread pool) unless the environment chose
 * its own. Memory and CPU are those of the server process, the launcher's own memory aside.
 */
export class ServerProcess {
  private sampler?: NodeJS.Timeout;
  private phasePeakKb = 0;
  private hwmReset = false;
  private serverPid: number;

  private constructor(
    readonly app: AppServer,
    private readonly logFile: string,
    private readonly profSocket?: string,
  ) {
    this.serverPid = app.pid;
  }

  get port(): number {
    return this.app.port;
  }

  /** The process that runs main.js: start.js's child, or start.js itself where it became the server (execve). */
  get pid(): number {
    return this.serverPid;
  }

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const env = { ...baseEnv(), ...options.env };
    // For trying runtime settings on the server alone (e.g. --max-old-space-size=256): start.js then
    // leaves out whichever bound the option sets.
    const nodeOptions = process.env.BENCH_SERVER_NODE_OPTIONS ? [process.env.BENCH_SERVER_NODE_OPTIONS] : [];
    // A diagnostic hook: BENCH_SERVER_PRELOAD=/abs/path.js is loaded into the server first.
    if (process.env.BENCH_SERVER_PRELOAD) nodeOptions.push(`--require=${process.env.BENCH_SERVER_PRELOAD}`);
    let profSocket: string | undefined;
    if (options.cpuProfDir) {
      const preload = join(options.tmpDir, 'cpu-prof-preload.js');
      writeFileSync(preload, PROFILER_PRELOAD);
      nodeOptions.push(`--require=${preload}`);
      profSocket = join(options.tmpDir, `${options.name}.prof.sock`);
      env.BENCH_CPU_PROF_DIR = options.cpuProfDir;
      env.BENCH_CPU_PROF_SOCKET = profSocket;
    }
    if (nodeOptions.length) env.NODE_OPTIONS = nodeOptions.join(' ');
    const app = await startAppServer({
      entry: join(options.root, 'scripts', 'start.js'),
      args: ['--entry', options.entry],
      cwd: options.root,
      env,
      healthPath: options.healthPath,
      startTimeoutMs: 90_000,
      logFile: options.logFile,
      name: options.name,
    });
    const server = new ServerProcess(app, options.logFile, profSocket);
    const pids = app.pids();
    server.serverPid = pids[pids.length - 1];
    server.sampler = setInterval(() => server.sample(), 150);
    server.sampler.unref();
    return server;
  }

  /** What start.js made of the environment, read from the server process itself. */
  runtime(root: string): Runtime {
    const read = (file: string) => readFileSync(`/proc/${this.pid}/${file}`, 'utf8').split('\0').filter(Boolean);
    try {
      const command = read('cmdline')
        .map((part) => part.split(`${root}/`).join(''))
        .join(' ')
        .replace(process.execPath, 'node');
      const threadpool =
        read('environ')
          .find((e) => e.startsWith('UV_THREADPOOL_SIZE='))
          ?.split('=')[1] ?? '4';
      const launcherMb = this.pid === this.app.pid ? undefined : processMemory(this.app.pid).anonMb;
      return { command, threadpool, launcherMb };
    } catch {
      return { command: 'unknown', threadpool: 'unknown' };
    }
  }

  get logPath(): string {
    return this.logFile;
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  memory(): { rssMb: number; hwmMb: number } {
    return processMemory(this.pid);
  }

  /** CPU time the server used so far (user + system, all its threads; the launcher's, next to nothing, too). */
  cpuMs(): number {
    return this.app.pids().reduce((sum, pid) => sum + (processCpuMs(pid) || 0), 0);
  }

  private sample(): void {
    const { rssMb } = this.memory();
    if (Number.isFinite(rssMb)) this.phasePeakKb = Math.max(this.phasePeakKb, rssMb * 1024);
  }

  /** Peak RSS from here to endPhase: sampled every 150 ms, and the kernel's high-water mark reset (clear_refs 5). */
  startPhase(): void {
    this.phasePeakKb = this.memory().rssMb * 1024;
    this.hwmReset = resetPeakRss(this.pid);
  }

  endPhase(): number {
    this.sample();
    const { hwmMb } = this.memory();
    return Math.max(this.phasePeakKb / 1024, this.hwmReset ? hwmMb : 0);
  }

  async profile(action: 'start' | 'stop', name = ''): Promise<string | undefined> {
    const socketPath = this.profSocket;
    if (!socketPath) return undefined;
    type Answer = { prof: string; file?: string; message?: string };
    const answer = new Promise<Answer>((resolve) => {
      const socket = connect(socketPath, () => socket.write(JSON.stringify({ prof: action, name })));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(JSON.parse(text || '{"prof":"error","message":"empty answer"}') as Answer));
      socket.on('error', (e) => resolve({ prof: 'error', message: e.message }));
    });
    const timeout = sleep(30_000).then((): Answer => ({ prof: 'error', message: 'no answer' }));
    const reply: Answer = await Promise.race([answer, timeout]);
    if (reply.prof === 'error') throw new Error(`profiler ${action}: ${reply.message}`);
    return reply.file;
  }

  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    await this.app.stop();
    if (this.profSocket) rmSync(this.profSocket, { force: true });
  }
}

/** The local MariaDB (or MySQL) server's pid, to count its CPU next to the app's; undefined if not found here. */
/**
 * The MariaDB server on this machine that listens on `port`: the process whose command line says
 * `--port=<port>` (a Galera node of scripts/galera-cluster.sh), or for 3306 the one that names no
 * port (the machine's own server).
 */
export function localDatabasePid(port = 3306): number | undefined {
  let fallback: number | undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!/(?:^|\/)(mariadbd|mysqld)$/.test(args[0] ?? '')) continue;
    const given = args.find((arg) => arg.startsWith('--port='));
    if (given === `--port=${port}`) return Number(entry);
    if (!given && port === 3306) fallback = Number(entry);
  }
  return fallback;
}
