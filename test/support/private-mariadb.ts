import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DataSource } from 'typeorm';
import { freePort } from '../../scripts/lib/app-server';
import { resolveDataSourceOptions } from '../../src/database/database.options';

const SERVER = firstInstalled(['mariadbd', 'mysqld'], ['/usr/sbin']);
const INSTALL_DB = firstInstalled(['mariadb-install-db', 'mysql_install_db'], []);
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * A MariaDB server of the test's own, on a data folder in the temp directory and a free port on
 * 127.0.0.1: the fault tests stop and start it, which they must never do to the machine's shared server.
 * Root has an empty password and is reachable only from this machine.
 */
export class PrivateMariaDb {
  private child?: ChildProcess;
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** Creates the data folder (about 1 s) and starts the server. */
  static async create(): Promise<PrivateMariaDb> {
    const dir = mkdtempSync(join(tmpdir(), 'ttms-mariadb-'));
    const server = new PrivateMariaDb(dir, await freePort());
    try {
      if (!SERVER || !INSTALL_DB) {
        throw new Error('the fault tests need MariaDB installed on this machine (apt-get install mariadb-server)');
      }
      await run(INSTALL_DB, [
        '--no-defaults',
        `--datadir=${server.dataDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...server.userOption(),
      ]);
      await server.start();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** `mysql://root@127.0.0.1:<port>/<database>` (no database: the server itself). */
  url(database = ''): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server on the same data folder and port, and waits until it answers a query. */
  async start(): Promise<void> {
    if (this.running) return;
    const child = spawn(
      SERVER as string,
      [
        '--no-defaults',
        `--datadir=${this.dataDir}`,
        `--port=${this.port}`,
        `--socket=${join(this.dir, 'sock')}`,
        `--pid-file=${join(this.dir, 'pid')}`,
        `--log-error=${join(this.dir, 'error.log')}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=64M',
        '--innodb-log-file-size=16M',
        '--max-connections=300',
        ...this.userOption(),
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    // A crashed or interrupted test run must not leave a server behind.
    process.once('exit', this.killOnExit);
    await this.waitUntilReady(child);
  }

  /** Stops the server the way an operator or a crash-free restart does: SIGTERM, SIGKILL after a timeout. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    await new Promise<void>((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill(signal);
    });
    process.removeListener('exit', this.killOnExit);
  }

  /** Stops the server and removes its data folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Creates a database and runs the app's migrations on it (as the e2e global setup does); answers its URL. */
  async createMigratedDatabase(name: string): Promise<string> {
    const admin = await new DataSource({ type: 'mysql', url: this.url() }).initialize();
    try {
      await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await admin.destroy();
    }
    const url = this.url(name);
    const dataSource = await new DataSource(
      await resolveDataSourceOptions({ url, path: '', migrationsRun: false }),
    ).initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
    return url;
  }

  /** The server's global status counter `name` (e.g. Aborted_clients). */
  async status(name: string): Promise<number> {
    const admin = await new DataSource({ type: 'mysql', url: this.url() }).initialize();
    try {
      const rows = await admin.query<{ Value: string }[]>('SHOW GLOBAL STATUS LIKE ?', [name]);
      return Number(rows[0]?.Value);
    } finally {
      await admin.destroy();
    }
  }

  private get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The server refuses to run as root unless told to. */
  private userOption(): string[] {
    return process.getuid?.() === 0 ? ['--user=root'] : [];
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const { createConnection } = await import('mysql2/promise');
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`mariadbd exited (${child.exitCode ?? child.signalCode}):\n${this.errorLog()}`);
      }
      try {
        const connection = await createConnection({
          host: '127.0.0.1',
          port: this.port,
          user: 'root',
          connectTimeout: 1000,
        });
        await connection.query('SELECT 1');
        await connection.end();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`mariadbd did not answer on port ${this.port} within ${READY_TIMEOUT_MS} ms:\n${this.errorLog()}`);
  }

  private errorLog(): string {
    const file = join(this.dir, 'error.log');
    return existsSync(file) ? readFileSync(file, 'utf8').slice(-3000) : '(no error log)';
  }
}

/** The first of `names` found on PATH or in `extraDirs` (sbin is often not on a user's PATH). */
function firstInstalled(names: string[], extraDirs: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}
