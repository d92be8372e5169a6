import { readFileSync } from 'node:fs';
import { galeraDown, galeraUp } from '../../test/support/galera-cluster';
import type { RushInput, RushOutput } from '../workers/rush';
import { auditSales, SaleAudit } from './checks';
import { createTarget, DbTarget, dropTarget, openSql, Sql } from './db';
import { HALL, insertUsers, loadCatalog, mintToken } from './fixtures';
import { JsonClient } from './http';
import type { RunInfo } from './report';
import { localDatabasePid, processCpuMs, ServerProcess } from './server';
import { log, round } from './util';
import { runWorker } from './worker';

/** One rush through some instances, and what it cost in retries. */
export interface GaleraRush {
  instances: number;
  rush: RushOutput;
  audit: SaleAudit;
  /** Transactions run again after a deadlock or a lost certification (the servers' log lines). */
  retries: number;
  /** The servers' CPU (all instances) per rush request. */
  appCpuMsPerRequest: number;
  /** The three nodes' mariadbd CPU per rush request (every node applies every write). */
  dbCpuMsPerRequest?: number;
}

export interface GaleraResult {
  skipped?: string;
  error?: string;
  /** Three instances, each on its own node. */
  spread?: GaleraRush;
  /** One instance on node 1 of the same cluster (its writes still replicate to the other two). */
  single?: GaleraRush;
}

export interface GaleraBench {
  settings: RunInfo['settings'];
  passwordHash: string;
  jwtSecret: string;
  /** Starts a server on `target` the way the other runs do (logs, env, cleanup). */
  startServer: (target: DbTarget, name: string) => Promise<ServerProcess>;
}

const RETRY_LINE = /transaction retry \d+ after/g;
/** The instances of a cluster share Redis (CONTRACT.md section 15): seat events, rate limits, leases. */
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The rush through three instances on a three-node Galera Cluster (scripts/galera-cluster.sh,
 * brought up here unless GALERA_URLS names a running one), next to one instance on one of its nodes.
 */
export async function benchGalera(bench: GaleraBench): Promise<GaleraResult> {
  const given = process.env.GALERA_URLS?.split(',').filter(Boolean);
  let urls: string[];
  try {
    urls = given?.length === 3 ? given : await galeraUp();
  } catch (error) {
    return { skipped: `the cluster did not come up: ${(error as Error).message.split('\n')[0]}` };
  }
  const servers: ServerProcess[] = [];
  let target: DbTarget | undefined;
  let sql: Sql | undefined;
  try {
    target = await createTarget('mariadb', '', 'galera', urls[0]);
    const database = new URL(target.url!).pathname;
    const onNode = (i: number): DbTarget => {
      const url = new URL(urls[i]);
      url.pathname = database;
      return { kind: 'mariadb', url: url.toString(), env: { DATABASE_URL: url.toString(), REDIS_URL: REDIS } };
    };
    // One after the other: the first migrates, the others find the migrations done.
    for (let i = 0; i < 3; i++) servers.push(await bench.startServer(onNode(i), `galera-node${i + 1}`));
    sql = await openSql(target);
    const nodePids = urls
      .map((url) => localDatabasePid(Number(new URL(url).port)))
      .filter((pid): pid is number => pid !== undefined);
    const { rushes, clients, voucherCode } = await load(bench, servers[0], sql);
    const s = bench.settings;
    const run = async (name: string, on: ServerProcess[], showtimes: RushInput['showtimes']) => {
      log(`galera: ${name}`);
      const logsBefore = on.map((server) => retriesIn(server));
      const cpuBefore = on.map((server) => server.cpuMs());
      const dbCpuBefore = nodePids.map((pid) => processCpuMs(pid));
      const rush = await runWorker<RushInput, RushOutput>(
        'rush',
        {
          port: on[0].port,
          ports: on.map((server) => server.port),
          showtimes,
          clients,
          seatsPerOrder: s.seatsPerOrder,
          raceShare: s.raceShare,
          timeLimitMs: s.rushLimitSec * 1000,
          seed: 42,
          voucherCode,
        },
        s.rushLimitSec * 1000 + 60_000,
      );
      const cpuMs = on.reduce((sum, server, i) => sum + server.cpuMs() - cpuBefore[i], 0);
      const dbCpuMs = nodePids.reduce((sum, pid, i) => sum + processCpuMs(pid) - dbCpuBefore[i], 0);
      const requests = Math.max(1, rush.holdAttempts + rush.payAttempts);
      return {
        instances: on.length,
        rush,
        audit: await auditSales(
          sql!,
          showtimes.map((x) => x.id),
        ),
        retries: on.reduce((sum, server, i) => sum + retriesIn(server) - logsBefore[i], 0),
        appCpuMsPerRequest: round(cpuMs / requests, 2),
        dbCpuMsPerRequest: nodePids.length === 3 ? round(dbCpuMs / requests, 2) : undefined,
      };
    };
    await run('rush warm-up through three instances', servers, rushes.warmup);
    const spread = await run('rush through three instances on three nodes', servers, rushes.spread);
    const single = await run('rush through one instance on node 1', [servers[0]], rushes.single);
    return { spread, single };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`galera: FAILED: ${message}`);
    return { error: message };
  } finally {
    await sql?.close();
    await Promise.all(servers.map((server) => server.stop()));
    if (target) await dropTarget(target, urls[0]).catch(() => undefined);
    if (given?.length !== 3) await galeraDown().catch(() => undefined);
  }
}

async function load(bench: GaleraBench, server: ServerProcess, sql: Sql) {
  const s = bench.settings;
  const [adminId] = await insertUsers(sql, ['bench_admin'], 'admin', bench.passwordHash);
  const http = new JsonClient(server.port, 16);
  try {
    const catalog = await loadCatalog(http, mintToken(bench.jwtSecret, adminId, 'admin'));
    const names = Array.from({ length: s.rushClients * s.usersPerClient }, (_, i) => `bg${String(i).padStart(5, '0')}`);
    const ids = await insertUsers(sql, names, 'customer', bench.passwordHash);
    const users = ids.map((id) => ({ id, token: mintToken(bench.jwtSecret, id, 'customer') }));
    const clients = Array.from({ length: s.rushClients }, (_, c) =>
      users.slice(c * s.usersPerClient, (c + 1) * s.usersPerClient),
    );
    const [warm, rest] = [
      catalog.showtimes.slice(0, s.rushWarmupShowtimes),
      catalog.showtimes.slice(s.rushWarmupShowtimes),
    ];
    return {
      clients,
      voucherCode: catalog.voucherCode,
      rushes: {
        warmup: warm,
        spread: rest.slice(0, s.rushShowtimes),
        single: rest.slice(s.rushShowtimes, 2 * s.rushShowtimes),
      },
    };
  } finally {
    http.close();
  }
}

function retriesIn(server: ServerProcess): number {
  try {
    return readFileSync(server.logPath, 'utf8').match(RETRY_LINE)?.length ?? 0;
  } catch {
    return 0;
  }
}

/** The report's section. */
export function renderGalera(result: GaleraResult | undefined): string[] {
  if (!result) return [];
  const out = ['', '## MariaDB Galera Cluster: three nodes on this machine', ''];
  if (result.skipped) return [...out, `Skipped: ${result.skipped}.`];
  if (result.error) return [...out, `FAILED: ${result.error}`];
  out.push(
    `Rush: ${HALL.rows} × ${HALL.cols} seats per showtime; the same clients and rules as the rushes above, each client on one instance (client i on instance i mod n).`,
    '',
    '| run | seats/s | hold p50 / p99 | pay p50 / p99 | transactions retried | 5xx, other failures | oversold | sold_count drift | CPU per request: apps, three mariadbd |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const [name, r] of [
    ['three instances, one per node', result.spread],
    ['one instance on node 1', result.single],
  ] as const) {
    if (!r) continue;
    const x = r.rush;
    const failures = Object.entries(x.failures)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
    out.push(
      `| ${name} | ${x.seatsPerSec} (${x.seatsSold} seats in ${x.elapsedSec} s${x.unsoldSeats ? `, ${x.unsoldSeats} unsold` : ''}) | ${x.holdP50} / ${x.holdP99} ms | ${x.payP50} / ${x.payP99} ms | ${r.retries} (${round(r.retries / Math.max(1, x.ordersPaid), 3)} per order) | ${x.fiveXx}${failures ? `; ${failures}` : ''} | ${r.audit.doubleClaimed + r.audit.doublePaid} | ${r.audit.soldCountDrift} | ${r.appCpuMsPerRequest} ms, ${r.dbCpuMsPerRequest ?? 'n/a'} ms |`,
    );
  }
  return out;
}
