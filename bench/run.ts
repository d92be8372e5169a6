/**
 * `npm run bench [-- --quick] [-- --only sqlite|mariadb|galera] [-- --out FILE]`: builds the server and a
 * bare NestJS app once, then on SQLite and on MariaDB (a fresh database next to TEST_DATABASE_URL)
 * measures the framework's ceiling (the bare app), the seat map against the bare app answering the
 * same bytes, a rush for seats against the database's own ceiling and the framework's, login, and
 * the memory of the server as `npm start` runs it; then the rush on a three-node Galera Cluster
 * (bench/lib/galera.ts); writes bench/RESULTS.md (a --quick smoke run:
 * bench/RESULTS.quick.md).
 * BENCH_CPU_PROF=1 writes one CPU profile of the server per phase under bench/profiles/.
 */
import * as argon2 from 'argon2';
import { execSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { auditSales } from './lib/checks';
import { createTarget, DbKind, DbTarget, dropTarget, mariadbServerUrl, openSql, Sql } from './lib/db';
import { BenchUser, HALL, insertUsers, loadCatalog, mintToken, sellHalf } from './lib/fixtures';
import { JsonClient, rawGet } from './lib/http';
import { foldedByModule, inclusiveByModule, selfTimeByModule, topSelfTime } from './lib/profile-summary';
import { benchGalera, GaleraResult, renderGalera } from './lib/galera';
import { DbResult, renderReport, RunInfo, verdicts } from './lib/report';
import { baseEnv, localDatabasePid, processCpuMs, ServerProcess } from './lib/server';
import { log, round, sleep } from './lib/util';
import { runWorker } from './lib/worker';
import type { StoredAnswer } from './bare-app/main';
import type { BareInput, BareOutput } from './workers/bare';
import { ACCEPT_ENCODING } from './workers/cannon';
import type { CannonInput, CannonOutput } from './workers/cannon';
import type { RushInput, RushOutput } from './workers/rush';

const ROOT = resolve(__dirname, '..');
/**
 * The bench builds into its own folder (bench/tsconfig.build.json): dist/ is shared with whoever
 * else runs `nest build` in this tree, and that build deletes it first.
 */
const BUILT = join(ROOT, '.bench-tmp', 'dist');
/** BENCH_DIST=<dir>: measure an already built copy of the app instead (to try a change before it lands in src/). */
const DIST = process.env.BENCH_DIST ? resolve(process.env.BENCH_DIST) : BUILT;
/** The bare NestJS app the product is measured against (bench/bare-app), compiled here. */
const BARE = join(ROOT, '.bench-tmp', 'bare');
/** Server logs of the last run, kept for a look after a failure. */
const LOGS = join(ROOT, '.bench-tmp', 'logs');
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const outFile = argv.includes('--out')
  ? resolve(argv[argv.indexOf('--out') + 1])
  : join(__dirname, QUICK ? 'RESULTS.quick.md' : 'RESULTS.md');
const PROFILE = process.env.BENCH_CPU_PROF === '1';
/**
 * --pieces: after the seat map, the bare app again with each piece of the product's request path
 * added alone, then all together (bench/bare-app, BARE_PIECES), on the first database measured.
 */
const PIECES = argv.includes('--pieces');
const PIECE_SETS = ['send', 'pino', 'helmet', 'cors', 'static', 'guards', 'send,pino,helmet,cors,static,guards'];

const SETTINGS: RunInfo['settings'] = QUICK
  ? {
      warmupSec: 1,
      durationSec: 3,
      connections: 50,
      loginConnections: 10,
      rushClients: 200,
      rushShowtimes: 2,
      rushWarmupShowtimes: 1,
      seatsPerOrder: 2,
      raceShare: 0.1,
      usersPerClient: 4,
      rushLimitSec: 30,
    }
  : {
      warmupSec: 3,
      durationSec: 10,
      connections: 50,
      loginConnections: 10,
      rushClients: 200,
      rushShowtimes: 10,
      rushWarmupShowtimes: 2,
      seatsPerOrder: 2,
      raceShare: 0.1,
      usersPerClient: 4,
      rushLimitSec: 75,
    };
const BARE_LIMIT_SEC = QUICK ? 20 : 45;
/** The app's production defaults (env.validation.ts): the login figure is measured at these. */
const ARGON2 = { memoryKib: 19456, timeCost: 2, parallelism: 1 };
const PASSWORD = 'Bench-Passw0rd';
const CAPTCHA_CODE = 'abcd';
const JWT_SECRET = `bench-${randomBytes(16).toString('hex')}`;
/** The app's MySQL pool size (database.options.ts), used by the bare script too. */
const MYSQL_POOL = 20;

const cleanups: (() => Promise<void>)[] = [];

function serverEnv(target: DbTarget, tmp: string): Record<string, string> {
  return {
    ...target.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RATE_LIMITS: 'off',
    DEMO_DATA: 'false',
    JWT_SECRET,
    CAPTCHA_FIXED_CODE: CAPTCHA_CODE,
    SWEEP_SECONDS: '30',
    DB_MIGRATIONS_RUN: 'true',
    UPLOADS_DIR: join(tmp, 'uploads'),
  };
}

async function startServer(target: DbTarget, tmp: string, name: string, profileDir?: string): Promise<ServerProcess> {
  const server = await ServerProcess.start({
    root: ROOT,
    entry: join(DIST, 'main.js'),
    env: serverEnv(target, tmp),
    logFile: join(LOGS, `${name}.log`),
    cpuProfDir: profileDir,
    tmpDir: tmp,
    name,
  });
  cleanups.push(() => server.stop());
  return server;
}

/**
 * The bare app, run like the server (through start.js, so with the same heap and thread pool), with
 * the product's seat-map answer to send back. It checks that it sends the same bytes.
 */
async function startBareApp(
  tmp: string,
  name: string,
  seatMapPath: string,
  answer: StoredAnswer,
  profileDir?: string,
  pieces = '',
): Promise<ServerProcess> {
  // Kept with the logs: a look at what was served, or a bare app started by hand, needs it.
  const answerFile = join(LOGS, `${name}.answer.json`);
  writeFileSync(answerFile, JSON.stringify(answer));
  const bare = await ServerProcess.start({
    root: ROOT,
    entry: join(BARE, 'main.js'),
    env: { ...baseEnv(), NODE_ENV: 'production', BARE_SEAT_MAP: answerFile, BARE_PIECES: pieces },
    logFile: join(LOGS, `${name}.log`),
    cpuProfDir: profileDir,
    tmpDir: tmp,
    healthPath: '/api/v1/health/live',
    name,
  });
  cleanups.push(() => bare.stop());
  const echo = await rawGet(bare.port, `/api/v1${seatMapPath}`, { 'accept-encoding': ACCEPT_ENCODING });
  const differs = sameBytesDiffer(answer, echo);
  if (differs) {
    await bare.stop();
    throw new Error(`the bare app does not answer the product's seat map as it came: ${differs}`);
  }
  return bare;
}

/** Headers that belong to one connection or one moment, not to the answer. */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

function storedAnswer(status: number, headers: [string, string][], body: Buffer): StoredAnswer {
  return {
    status,
    headers: headers.filter(([name]) => !PER_CONNECTION.has(name.toLowerCase())),
    bodyBase64: body.toString('base64'),
  };
}

function sameBytesDiffer(expected: StoredAnswer, got: { status: number; headers: [string, string][]; body: Buffer }) {
  const again = storedAnswer(got.status, got.headers, got.body);
  if (again.status !== expected.status) return `status ${again.status}, not ${expected.status}`;
  if (again.bodyBase64 !== expected.bodyBase64) return 'another body';
  // In any order: pieces added to the bare app (helmet, cors) set some headers first.
  const text = (h: [string, string][]) =>
    h
      .map(([k, v]) => `${k.toLowerCase()}: ${v}`)
      .sort()
      .join('\n');
  if (text(again.headers) !== text(expected.headers)) {
    return `other headers:\n${text(again.headers)}\nnot\n${text(expected.headers)}`;
  }
  return undefined;
}

function compileBareApp(): void {
  log(`compiling the bare app (bench/bare-app, into ${relative(ROOT, BARE)})`);
  rmSync(BARE, { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc');
  const options = [
    ...['--outDir', BARE, '--rootDir', join(__dirname, 'bare-app'), '--target', 'ES2022', '--module', 'commonjs'],
    ...['--moduleResolution', 'node', '--types', 'node', '--strict', '--skipLibCheck', '--esModuleInterop'],
    ...['--experimentalDecorators', '--emitDecoratorMetadata'],
  ];
  const build = spawnSync(process.execPath, [tsc, ...options, join(__dirname, 'bare-app', 'main.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('compiling the bare app failed');
}

function userNames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
}

/** Everything measured on one database kind. */
async function benchDatabase(
  kind: DbKind,
  tmp: string,
  hash: string,
  mysqlUrl: string | undefined,
  profileDir: string | undefined,
  firstKind: boolean,
): Promise<DbResult> {
  const label = kind === 'sqlite' ? 'SQLite (WAL, one file)' : `MariaDB (${mysqlUrl ? new URL(mysqlUrl).host : ''})`;
  const result: DbResult = { kind, label, peakRssMb: {}, cpuMs: {} };
  const s = SETTINGS;
  const target = await createTarget(kind, tmp, 'main', mysqlUrl);
  cleanups.push(() => dropTarget(target, mysqlUrl));
  let server: ServerProcess | undefined;
  let bare: ServerProcess | undefined;
  let sql: Sql | undefined;
  try {
    log(`${kind}: starting the server`);
    server = await startServer(target, tmp, `${kind}-main`, profileDir);
    await sleep(2000);
    result.runtime = server.runtime(ROOT);
    result.idleRssMb = round(server.memory().rssMb, 1);
    const srv = server;
    const dbPid =
      kind === 'mariadb' && mysqlUrl && isLocalHost(mysqlUrl)
        ? localDatabasePid(Number(new URL(mysqlUrl).port || 3306))
        : undefined;
    /** One measure on one server (the product or the bare app); memory is counted for the product's only. */
    const phase = async <T>(name: string, work: () => Promise<T>, on: ServerProcess = srv): Promise<T> => {
      log(`${kind}: ${name}`);
      on.startPhase();
      if (profileDir) await on.profile('start');
      const cpuAtStart = on.cpuMs();
      const dbCpuAtStart = dbPid ? processCpuMs(dbPid) : NaN;
      try {
        return await work();
      } finally {
        result.cpuMs[name] = round(on.cpuMs() - cpuAtStart, 0);
        if (dbPid && Number.isFinite(dbCpuAtStart)) {
          (result.dbCpuMs ??= {})[name] = round(processCpuMs(dbPid) - dbCpuAtStart, 0);
        }
        if (profileDir) await on.profile('stop', `${kind}-${name.replace(/[\s/]+/g, '-')}`);
        const peak = round(on.endPhase(), 1);
        if (on === srv) result.peakRssMb[name] = peak;
        else result.bareRssMb = Math.max(result.bareRssMb ?? 0, peak);
      }
    };

    sql = await openSql(target);
    const http = new JsonClient(server.port, 16);
    const db = sql;
    const rushUserCount = s.rushClients * s.usersPerClient;
    const { rushClients, seatMapId, rushShowtimes, warmupShowtimes, loginNames, voucherCode } = await phase(
      'load',
      async () => {
        const [adminId] = await insertUsers(db, ['bench_admin'], 'admin', hash);
        const admin = mintToken(JWT_SECRET, adminId, 'admin');
        const catalog = await loadCatalog(http, admin);
        const buyerNames = userNames('bs', 55);
        const rushNames = userNames('br', rushUserCount);
        const loginNames = userNames('bl', 10);
        const all = [...buyerNames, ...rushNames, ...loginNames];
        const ids = await insertUsers(db, all, 'customer', hash);
        const users: BenchUser[] = all.map((name, i) => ({
          name,
          id: ids[i],
          token: mintToken(JWT_SECRET, ids[i], 'customer'),
        }));
        const [seatMapShow, ...rest] = catalog.showtimes;
        result.seatMapState = await sellHalf(http, seatMapShow, users.slice(0, 50), users.slice(50, 55));
        const rushUsers = users.slice(55, 55 + rushUserCount);
        return {
          seatMapId: seatMapShow.id,
          rushShowtimes: rest.slice(0, s.rushShowtimes),
          warmupShowtimes: rest.slice(s.rushShowtimes, s.rushShowtimes + s.rushWarmupShowtimes),
          rushClients: Array.from({ length: s.rushClients }, (_, c) =>
            rushUsers.slice(c * s.usersPerClient, (c + 1) * s.usersPerClient).map(({ id, token }) => ({ id, token })),
          ),
          loginNames,
          voucherCode: catalog.voucherCode,
        };
      },
    );
    result.setupRetries = http.setupRetries;
    http.close();

    const seatMapPath = `/schedules/${seatMapId}/seats`;
    const product = await rawGet(srv.port, `/api/v1${seatMapPath}`, { 'accept-encoding': ACCEPT_ENCODING });
    if (product.status !== 200) throw new Error(`the seat map answered ${product.status}`);
    const answer = storedAnswer(product.status, product.headers, product.body);
    result.sameBytesAnswer = {
      bytes: product.body.length,
      headers: answer.headers.length,
      encoding: answer.headers.find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? 'identity',
    };
    log(`${kind}: starting the bare app`);
    bare = await startBareApp(tmp, `${kind}-bare-app`, seatMapPath, answer, profileDir);
    const bareApp = bare;

    const get = (path: string, on: ServerProcess = srv): CannonInput => ({
      kind: 'get',
      port: on.port,
      path,
      connections: s.connections,
      warmupSec: s.warmupSec,
      durationSec: s.durationSec,
    });
    const cannon = (input: CannonInput) => runWorker<CannonInput, CannonOutput>('cannon', input, cannonLimit);
    const cannonLimit = (s.warmupSec + s.durationSec) * 1000 + 60_000;
    result.ceiling = await phase('ceiling', () => cannon(get('/health/live', bareApp)), bareApp);
    // The seat map between two measures of the same bytes, so that drift weighs on both sides.
    result.sameBytes = await phase('same bytes', () => cannon(get(seatMapPath, bareApp)), bareApp);
    result.seatMap = await phase('seat map', () => cannon(get(seatMapPath)));
    result.sameBytesAfter = await phase('same bytes again', () => cannon(get(seatMapPath, bareApp)), bareApp);
    result.productLive = await phase('health/live', () => cannon(get('/health/live')));
    if (PIECES && firstKind) {
      for (const pieces of PIECE_SETS) {
        const name = `same bytes + ${pieces.replace(/,/g, ' + ')}`;
        const withPieces = await startBareApp(
          tmp,
          `${kind}-bare-app-${pieces.replace(/,/g, '-')}`,
          seatMapPath,
          answer,
          undefined,
          pieces,
        );
        try {
          const output = await phase(name, () => cannon(get(seatMapPath, withPieces)), withPieces);
          (result.pieces ??= []).push({ pieces, output, cpuMs: result.cpuMs[name] });
        } finally {
          await withPieces.stop();
        }
      }
    }
    const rushInput: RushInput = {
      port: srv.port,
      showtimes: rushShowtimes,
      clients: rushClients,
      seatsPerOrder: s.seatsPerOrder,
      raceShare: s.raceShare,
      timeLimitMs: s.rushLimitSec * 1000,
      seed: 42,
      voucherCode,
    };
    result.rushSeats = rushShowtimes.length * HALL.rows * HALL.cols;
    // Like every other measure, the rush comes after a warm-up: the same rush on other showtimes.
    result.rushWarmup = await phase('rush warm-up', () =>
      runWorker<RushInput, RushOutput>(
        'rush',
        { ...rushInput, showtimes: warmupShowtimes },
        s.rushLimitSec * 1000 + 60_000,
      ),
    );
    result.rush = await phase('rush', () =>
      runWorker<RushInput, RushOutput>('rush', rushInput, s.rushLimitSec * 1000 + 60_000),
    );
    result.audit = await auditSales(
      db,
      rushShowtimes.map((x) => x.id),
    );
    result.ceilingAfter = await phase('ceiling again', () => cannon(get('/health/live', bareApp)), bareApp);
    await bareApp.stop();
    result.login = await phase('login', () =>
      cannon({
        kind: 'login',
        port: srv.port,
        connections: s.loginConnections,
        warmupSec: Math.min(2, s.warmupSec),
        durationSec: s.durationSec,
        accounts: loginNames,
        password: PASSWORD,
        captchaCode: CAPTCHA_CODE,
      }),
    );
    // The launcher sits idle all along: its memory read once is its peak.
    result.runtime = server.runtime(ROOT);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    log(`${kind}: FAILED: ${result.error}`);
    if (server) log(`server log tail:\n${server.logTail()}`);
  } finally {
    await sql?.close();
    await bare?.stop();
    await server?.stop();
    await dropTarget(target, mysqlUrl).catch(() => undefined);
  }
  if (!result.error) {
    try {
      result.bare = await bareCeiling(kind, tmp, hash, mysqlUrl);
    } catch (error) {
      result.error = `database ceiling: ${error instanceof Error ? error.message : String(error)}`;
      log(`${kind}: FAILED: ${result.error}`);
    }
  }
  return result;
}

/**
 * The same tables on a fresh database, migrated the way the app migrates (by starting it once),
 * with the same catalog and rush users; then the bare script alone, with no server running.
 */
async function bareCeiling(kind: DbKind, tmp: string, hash: string, mysqlUrl: string | undefined): Promise<BareOutput> {
  const s = SETTINGS;
  const target = await createTarget(kind, tmp, 'bare', mysqlUrl);
  cleanups.push(() => dropTarget(target, mysqlUrl));
  try {
    log(`${kind}: database ceiling (migrating a fresh database)`);
    const server = await startServer(target, tmp, `${kind}-bare`);
    let clients: number[][];
    let showtimes;
    let warmupShowtimes;
    const sql = await openSql(target);
    try {
      const [adminId] = await insertUsers(sql, ['bench_admin'], 'admin', hash);
      const http = new JsonClient(server.port, 4);
      const catalog = await loadCatalog(http, mintToken(JWT_SECRET, adminId, 'admin'));
      http.close();
      showtimes = catalog.showtimes.slice(1, 1 + s.rushShowtimes);
      warmupShowtimes = catalog.showtimes.slice(1 + s.rushShowtimes, 1 + s.rushShowtimes + s.rushWarmupShowtimes);
      const ids = await insertUsers(sql, userNames('br', s.rushClients * s.usersPerClient), 'customer', hash);
      clients = Array.from({ length: s.rushClients }, (_, c) =>
        ids.slice(c * s.usersPerClient, (c + 1) * s.usersPerClient),
      );
    } finally {
      await sql.close();
      await server.stop();
    }
    log(`${kind}: database ceiling (bare script)`);
    const input: BareInput = {
      kind,
      path: target.path,
      url: target.url,
      connectionLimit: MYSQL_POOL,
      showtimes,
      clients,
      seatsPerOrder: s.seatsPerOrder,
      raceShare: s.raceShare,
      timeLimitMs: BARE_LIMIT_SEC * 1000,
      seed: 42,
      holdSeconds: 900,
    };
    await runWorker<BareInput, BareOutput>(
      'bare',
      { ...input, showtimes: warmupShowtimes },
      BARE_LIMIT_SEC * 1000 + 60_000,
    );
    return await runWorker<BareInput, BareOutput>('bare', input, BARE_LIMIT_SEC * 1000 + 60_000);
  } finally {
    await dropTarget(target, mysqlUrl).catch(() => undefined);
  }
}

/** One argon2id verify at the production cost, on this machine, with nothing else running. */
async function argon2VerifyMs(hash: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await argon2.verify(hash, PASSWORD);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[2];
}

function commitOf(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execSync('git status --porcelain -- src', { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return 'unknown';
  }
}

function commandLine(): string {
  const env = [
    'TEST_DATABASE_URL',
    'BENCH_CPU_PROF',
    'BENCH_DIST',
    'BENCH_SERVER_NODE_OPTIONS',
    'BENCH_SERVER_PRELOAD',
    'MALLOC_ARENA_MAX',
    'MALLOC_MMAP_THRESHOLD_',
    'UV_THREADPOOL_SIZE',
  ]
    .filter((k) => process.env[k])
    .map((k) => `${k}='${process.env[k]}'`);
  const base =
    process.env.npm_lifecycle_event === 'bench'
      ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`
      : `ts-node --transpile-only bench/run.ts ${argv.join(' ')}`;
  return [...env, base].join(' ').trim();
}

async function main(): Promise<void> {
  const started = Date.now();
  const startedAt = new Date().toISOString();
  if (DIST === BUILT) {
    log(`building the server (nest build -p bench/tsconfig.build.json, into ${relative(ROOT, DIST)})`);
    const nest = require.resolve('@nestjs/cli/bin/nest.js');
    const build = spawnSync(process.execPath, [nest, 'build', '-p', 'bench/tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('nest build failed');
  } else {
    log(`using the app built in ${DIST} (BENCH_DIST)`);
  }
  compileBareApp();
  const tmp = mkdtempSync(join(tmpdir(), 'ttms-bench-'));
  rmSync(LOGS, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  cleanups.push(() => Promise.resolve(rmSync(tmp, { recursive: true, force: true })));
  const profileDir = PROFILE ? join(__dirname, 'profiles', startedAt.replace(/[:.]/g, '-')) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const hash = await argon2.hash(PASSWORD, {
    type: argon2.argon2id,
    memoryCost: ARGON2.memoryKib,
    timeCost: ARGON2.timeCost,
    parallelism: ARGON2.parallelism,
  });
  const verifyMs = await argon2VerifyMs(hash);

  const mysql = mariadbServerUrl(process.env.TEST_DATABASE_URL);
  const results: DbResult[] = [];
  for (const kind of ['sqlite', 'mariadb'] as DbKind[]) {
    if (only && only !== kind) continue;
    if (kind === 'mariadb' && mysql.skip) {
      results.push({ kind, label: 'MariaDB', skipped: mysql.skip, peakRssMb: {}, cpuMs: {} });
      log(`mariadb: skipped: ${mysql.skip}`);
      continue;
    }
    results.push(await benchDatabase(kind, tmp, hash, mysql.url, profileDir, results.length === 0));
  }

  let galera: GaleraResult | undefined;
  if (!only || only === 'galera') {
    galera = await benchGalera({
      settings: SETTINGS,
      passwordHash: hash,
      jwtSecret: JWT_SECRET,
      startServer: (target, name) => startServer(target, tmp, name),
    });
  }

  const notesFile = join(__dirname, 'NOTES.md');
  const info: RunInfo = {
    command: commandLine(),
    quick: QUICK,
    startedAt,
    durationSec: Math.round((Date.now() - started) / 1000),
    commit: commitOf(),
    machine: {
      cores: cpus().length,
      memoryGb: round(totalmem() / 1024 ** 3, 1),
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      os: `${type()} ${release()}`,
    },
    settings: SETTINGS,
    argon2: { ...ARGON2, verifyMs: round(verifyMs, 1) },
    notes: existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : undefined,
  };
  writeFileSync(outFile, renderReport(info, results, renderGalera(galera)));
  log(`results written to ${relative(process.cwd(), outFile)}`);
  for (const r of results) {
    const v = verdicts(r);
    const line = Object.entries(v)
      .map(([k, ok]) => `${k} ${ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS'}`)
      .join(', ');
    log(`${r.kind}: ${r.skipped ? `skipped (${r.skipped})` : r.error ? `FAILED (${r.error})` : line}`);
  }
  if (profileDir) {
    for (const r of results) {
      const phases: [string, number | undefined][] = [
        ['ceiling', r.ceiling?.allRequests],
        ['same-bytes', r.sameBytes?.allRequests],
        ['seat-map', r.seatMap?.allRequests],
        ['health-live', r.productLive?.allRequests],
        ['rush', r.rush ? r.rush.holdAttempts + r.rush.payAttempts : undefined],
        ['login', r.login?.allRequests],
      ];
      for (const [name, requests] of phases) {
        const file = join(profileDir, `${r.kind}-${name}.cpuprofile`);
        if (!existsSync(file)) continue;
        const indent = (lines: string[]) => lines.join('\n    ');
        log(
          `profile ${relative(process.cwd(), file)}\n  by module:\n    ${indent(selfTimeByModule(file, ROOT).slice(0, 10))}\n  on the stack:\n    ${indent(inclusiveByModule(file, ROOT, requests, 20))}\n  folded (node's internals to their caller):\n    ${indent(foldedByModule(file, ROOT, requests, 25))}\n  by function:\n    ${indent(topSelfTime(file, 12, ROOT))}`,
        );
      }
    }
  }
  if (galera) {
    log(
      `galera: ${galera.skipped ? `skipped (${galera.skipped})` : galera.error ? `FAILED (${galera.error})` : 'done'}`,
    );
  }
  if (results.some((r) => r.error) || galera?.error) process.exitCode = 1;
}

async function cleanup(): Promise<void> {
  for (const step of cleanups.reverse()) await step().catch(() => undefined);
  cleanups.length = 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .catch((error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());

function isLocalHost(url: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname);
}
