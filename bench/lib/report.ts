import type { SaleAudit } from './checks';
import type { DbKind } from './db';
import { round } from './util';
import type { BareOutput } from '../workers/bare';
import type { CannonOutput } from '../workers/cannon';
import type { RushOutput } from '../workers/rush';

export interface DbResult {
  kind: DbKind;
  label: string;
  skipped?: string;
  error?: string;
  idleRssMb?: number;
  peakRssMb: Record<string, number>;
  /** Server CPU time (user + system) per phase, warm-up included. */
  cpuMs: Record<string, number>;
  /** The local database server's CPU time per phase (MariaDB only, when it runs on this machine). */
  dbCpuMs?: Record<string, number>;
  ceiling?: CannonOutput;
  /** The ceiling measured again after the rush: the ratios use the mean of both (see ceilingRps). */
  ceilingAfter?: CannonOutput;
  seatMap?: CannonOutput;
  seatMapState?: { sold: number; held: number };
  rush?: RushOutput;
  /** The unmeasured rush that warms the server up first; only its failures count (in the integrity row). */
  rushWarmup?: RushOutput;
  rushSeats?: number;
  audit?: SaleAudit;
  bare?: BareOutput;
  login?: CannonOutput;
  /** 5xx answers while loading the data through the API (tried again). */
  setupRetries?: number;
}

export interface RunInfo {
  command: string;
  quick: boolean;
  startedAt: string;
  durationSec: number;
  commit: string;
  machine: { cores: number; memoryGb: number; cpu: string; node: string; os: string };
  settings: {
    warmupSec: number;
    durationSec: number;
    connections: number;
    loginConnections: number;
    rushClients: number;
    rushShowtimes: number;
    /** Showtimes of the unmeasured warm-up rush that runs first, on the server and in the bare script alike. */
    rushWarmupShowtimes: number;
    seatsPerOrder: number;
    raceShare: number;
    usersPerClient: number;
    rushLimitSec: number;
  };
  argon2: { memoryKib: number; timeCost: number; parallelism: number; verifyMs: number; threads: number };
  notes?: string;
}

export const TARGETS = {
  seatMapShare: 0.8,
  seatMapP99Ms: 50,
  rushShare: 0.4,
  idleRssMb: 150,
  peakRssMb: 300,
};

const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? '**PASS**' : '**MISS**');
const pct = (x: number) => `${round(x * 100, 0)} %`;
const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 'n/a' : `${round(x, 1)} ms`);
const num = (x: number | undefined, digits = 0) =>
  x === undefined || !Number.isFinite(x) ? 'n/a' : String(round(x, digits));

/**
 * The framework ceiling the ratios divide by: the mean of the measure before the seat map and the
 * one after the rush, so that a drift of the shared machine's speed between them (runs here moved
 * the ceiling by up to 15 %) weighs on both sides of a ratio alike.
 */
export function ceilingRps(r: DbResult): number | undefined {
  if (!r.ceiling) return undefined;
  return r.ceilingAfter ? (r.ceiling.rps + r.ceilingAfter.rps) / 2 : r.ceiling.rps;
}

/** The rush's reference: the lower of the database's own ceiling and the framework's bound, and which one it is. */
export function rushBound(
  r: DbResult,
): { seatsPerSec: number; binds: string; framework: number; database?: number } | undefined {
  const ceiling = ceilingRps(r);
  if (!r.rush || ceiling === undefined) return undefined;
  const framework = (ceiling / 2) * r.rush.avgSeatsPerOrder;
  const database = r.bare?.seatsPerSec;
  if (database === undefined || database >= framework) {
    return { seatsPerSec: framework, binds: 'framework', framework, database };
  }
  return { seatsPerSec: database, binds: 'database', framework, database };
}

export function verdicts(r: DbResult): Record<string, boolean | undefined> {
  const bound = rushBound(r);
  const peak = Math.max(0, ...Object.values(r.peakRssMb));
  const oversold = r.audit ? r.audit.doubleClaimed + r.audit.doublePaid : undefined;
  return {
    seatMap:
      r.seatMap && r.ceiling
        ? r.seatMap.rps >= TARGETS.seatMapShare * ceilingRps(r)! &&
          r.seatMap.p99 < TARGETS.seatMapP99Ms &&
          r.seatMap.non2xx === 0
        : undefined,
    rush: r.rush && bound ? r.rush.seatsPerSec >= TARGETS.rushShare * bound.seatsPerSec : undefined,
    integrity:
      r.rush && r.audit
        ? oversold === 0 && r.rush.fiveXx === 0 && (r.rushWarmup?.fiveXx ?? 0) === 0 && r.audit.soldCountDrift === 0
        : undefined,
    idleRss: r.idleRssMb === undefined ? undefined : r.idleRssMb < TARGETS.idleRssMb,
    peakRss: Object.keys(r.peakRssMb).length ? peak < TARGETS.peakRssMb : undefined,
  };
}

function table(r: DbResult, info: RunInfo): string[] {
  const s = info.settings;
  const v = verdicts(r);
  const lines = ['| measure | figure | against | ratio | target | verdict |', '| --- | --- | --- | --- | --- | --- |'];
  const c = r.ceiling;
  const ceiling = ceilingRps(r);
  if (c) {
    const after = r.ceilingAfter;
    const again = after
      ? `; again after the rush: ${num(after.rps)} req/s, p50 ${ms(after.p50)}, p99 ${ms(after.p99)}; mean ${num(ceiling)} req/s`
      : '';
    lines.push(
      `| Framework ceiling: GET /api/v1/health/live, ${s.connections} conn | ${num(c.rps)} req/s, p50 ${ms(c.p50)}, p99 ${ms(c.p99)}${again} | | | | |`,
    );
  }
  const m = r.seatMap;
  if (m && c) {
    const state = r.seatMapState ? ` (${r.seatMapState.sold} sold, ${r.seatMapState.held} held of 600)` : '';
    const bad = m.non2xx || m.errors ? `, ${m.non2xx} non-2xx, ${m.errors} errors` : '';
    // On a slow or busy machine the route that does nothing may miss the latency bound itself.
    const ceilingP99 = Math.min(c.p99, r.ceilingAfter?.p99 ?? c.p99);
    const slow = ceilingP99 >= 50 ? ` (the ceiling route's own p99 is ${ms(ceilingP99)} or more on this machine)` : '';
    lines.push(
      `| Seat map GET /api/v1/schedules/:id/seats${state}, ${s.connections} conn | ${num(m.rps)} req/s, p50 ${ms(m.p50)}, p99 ${ms(m.p99)}${slow}${bad} | ceiling ${num(ceiling)} req/s | ${pct(m.rps / ceiling!)} | ≥ 80 % and p99 < 50 ms | ${verdict(v.seatMap)} |`,
    );
  }
  const rush = r.rush;
  const bound = rushBound(r);
  if (rush && bound) {
    const db = bound.database === undefined ? 'not measured' : `${num(bound.database)} seats/s`;
    const done = rush.timedOut
      ? `; stopped at the ${s.rushLimitSec} s limit with ${rush.unsoldSeats} seats unsold`
      : '';
    lines.push(
      `| Rush: ${s.rushClients} clients, ${s.rushShowtimes} showtimes × 600 seats | ${num(rush.seatsPerSec)} seats/s (${rush.seatsSold} seats, ${rush.ordersPaid} orders in ${rush.elapsedSec} s${done}); hold p99 ${ms(rush.holdP99)}, pay p99 ${ms(rush.payP99)} | bound ${num(bound.seatsPerSec)} seats/s, **${bound.binds} binds** (database ${db}; framework ${num(ceiling)} ÷ 2 × ${rush.avgSeatsPerOrder} = ${num(bound.framework)} seats/s) | ${pct(rush.seatsPerSec / bound.seatsPerSec)} | ≥ 40 % | ${verdict(v.rush)} |`,
    );
  }
  if (rush && r.audit) {
    const a = r.audit;
    lines.push(
      `| Rush integrity (read from the database after) | ${a.doubleClaimed + a.doublePaid} oversold (seats with 2+ sold claims: ${a.doubleClaimed}; seats in 2+ paid orders: ${a.doublePaid}); ${a.paidSeats} seats in paid orders, ${a.permanentClaims} sold claims, sold_count drift ${a.soldCountDrift}; ${rush.fiveXx} × 5xx | rush counted ${rush.seatsSold} sold | | 0 oversold, no 5xx | ${verdict(v.integrity)} |`,
    );
  }
  const l = r.login;
  if (l) {
    const bound = (info.argon2.threads / info.argon2.verifyMs) * 1000;
    lines.push(
      `| Login: GET /captcha + POST /auth/login, ${s.loginConnections} conn | ${num(l.loginsPerSec, 1)} logins/s, login p50 ${ms(l.loginP50)}, p99 ${ms(l.loginP99)}${l.loginFailures ? `, ${l.loginFailures} failed` : ''} | argon2 bound ≈ ${num(bound, 1)} logins/s (${info.argon2.threads} cores ÷ ${num(info.argon2.verifyMs, 1)} ms per verify) | ${pct((l.loginsPerSec ?? 0) / bound)} | (none) | — |`,
    );
  }
  if (r.idleRssMb !== undefined) {
    lines.push(`| Idle RSS after start | ${num(r.idleRssMb)} MB | | | < 150 MB | ${verdict(v.idleRss)} |`);
  }
  const peaks = Object.entries(r.peakRssMb);
  if (peaks.length) {
    const each = peaks.map(([phase, mb]) => `${phase} ${num(mb)}`).join(', ');
    lines.push(`| Peak RSS per phase (MB) | ${each} | | | < 300 MB | ${verdict(v.peakRss)} |`);
  }
  return lines;
}

function details(r: DbResult): string[] {
  const out: string[] = [];
  if (r.rush) {
    const f = Object.entries(r.rush.failures)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
    out.push(
      `- Rush: ${r.rush.holdAttempts} holds tried, ${r.rush.conflicts} lost a seat to another hold (2003), hold p50 ${ms(r.rush.holdP50)}, pay p50 ${ms(r.rush.payP50)}${f ? `; failures ${f}` : ''}${r.rush.aborted ? `; ABORTED: ${r.rush.aborted}` : ''}.`,
    );
  }
  if (r.rushWarmup) {
    const w = r.rushWarmup;
    out.push(
      `- Warm-up rush (not measured): ${w.seatsSold} seats in ${w.elapsedSec} s (${num(w.seatsPerSec)} seats/s), ${w.fiveXx} × 5xx.`,
    );
  }
  if (r.bare) {
    const b = r.bare;
    out.push(
      `- Database ceiling (bare script, same schema, same clients): ${b.seatsSold} seats, ${b.ordersPaid} orders in ${b.elapsedSec} s = ${num(b.seatsPerSec)} seats/s; hold transaction p99 ${ms(b.holdP99)}, pay transaction p99 ${ms(b.payP99)}; ${b.conflicts} duplicate-key conflicts, ${b.deadlockRetries} deadlock retries, ${b.failures} failures${b.timedOut ? ', stopped at the time limit' : ''}.`,
    );
  }
  const cpu = r.cpuMs;
  const per = (phase: string, n: number | undefined) =>
    cpu[phase] !== undefined && n ? `${round(cpu[phase] / n, 2)} ms` : undefined;
  const costs = [
    ['ceiling request', per('ceiling', r.ceiling?.allRequests)],
    ['seat map request', per('seat map', r.seatMap?.allRequests)],
    ['rush request', per('rush', r.rush ? r.rush.holdAttempts + r.rush.payAttempts : undefined)],
    ['seat sold in the rush', per('rush', r.rush?.seatsSold)],
    ['login (captcha + login)', per('login', r.login ? r.login.allRequests / 2 : undefined)],
  ].filter(([, v]) => v);
  if (costs.length) {
    out.push(
      `- Server CPU time (user + system, all threads) per ${costs.map(([k, v]) => `${k}: ${v}`).join('; ')}. Unlike rates, these hardly move with the load of other processes.`,
    );
  }
  const db = r.dbCpuMs;
  if (db?.rush !== undefined && r.rush) {
    out.push(
      `- Database server CPU time (mariadbd, all threads) per rush request: ${round(db.rush / (r.rush.holdAttempts + r.rush.payAttempts), 2)} ms; per seat sold: ${round(db.rush / r.rush.seatsSold, 2)} ms. It shares the two cores with the app and the load generator.`,
    );
  }
  const client = (cpuMs: number | undefined, n: number | undefined) =>
    cpuMs !== undefined && n ? `${round(cpuMs / n, 2)} ms` : undefined;
  const clientCosts = [
    ['ceiling request', client(r.ceiling?.clientCpuMs, r.ceiling?.allRequests)],
    ['seat map request', client(r.seatMap?.clientCpuMs, r.seatMap?.allRequests)],
    ['rush request', client(r.rush?.clientCpuMs, r.rush ? r.rush.holdAttempts + r.rush.payAttempts : undefined)],
  ].filter(([, v]) => v);
  if (clientCosts.length) {
    out.push(
      `- Load generator CPU time (its own process, on the same cores) per ${clientCosts.map(([k, v]) => `${k}: ${v}`).join('; ')}.`,
    );
  }
  if (r.setupRetries) {
    out.push(
      `- Loading the data through the API: ${r.setupRetries} requests answered 5xx (or nothing) and were sent again.`,
    );
  }
  for (const [name, c] of [
    ['Ceiling', r.ceiling],
    ['Seat map', r.seatMap],
    ['Login', r.login],
  ] as const) {
    if (c && (c.non2xx || c.errors || c.timeouts)) {
      out.push(`- ${name}: ${c.non2xx} non-2xx, ${c.errors} errors, ${c.timeouts} timeouts of ${c.total}.`);
    }
  }
  return out;
}

export function renderReport(info: RunInfo, results: DbResult[]): string {
  const s = info.settings;
  const m = info.machine;
  const out = [
    '# TTMS benchmark results',
    '',
    `Generated by \`${info.command}\` on ${info.startedAt} (commit ${info.commit}${info.quick ? ', QUICK smoke run: short durations, figures are rough' : ''}), ${info.durationSec} s in all.`,
    '',
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB memory, Node ${m.node}, ${m.os}. Server and load generators share these cores.`,
    '',
    `Method: the built server (\`nest build\` into .bench-tmp/dist, run as \`node .bench-tmp/dist/main.js\` with the Docker image's runtime settings NODE_OPTIONS=--max-old-space-size=192 and UV_THREADPOOL_SIZE=2; NODE_ENV=test, LOG_LEVEL=warn, RATE_LIMITS=off, DEMO_DATA=false) on a fresh database per run; each HTTP figure is measured for ${s.durationSec} s after a ${s.warmupSec} s warm-up by autocannon in its own process, sending \`Accept-Encoding: gzip, deflate, br\` as browsers and mobile HTTP stacks do (rush: a keep-alive client loop on raw sockets in its own process, each client's connection opened before the clock starts). The ceiling is measured before the seat map and again after the rush, and the ratios divide by the mean of the two, so that the shared machine's drift between measures weighs on both sides alike. ` +
      `Rush: ${s.rushClients} clients, each with its own ${s.usersPerClient} users (6 seats per user and showtime), hold ${s.seatsPerOrder} random available seats then pay, until all ${s.rushShowtimes * 600} seats of ${s.rushShowtimes} showtimes are sold (limit ${s.rushLimitSec} s), after a warm-up rush on ${s.rushWarmupShowtimes} other showtimes (the bare script gets the same warm-up); ` +
      `${pct(s.raceShare)} of picks ignore holds in flight, so they race for the same seat. ` +
      `Login: argon2id m=${info.argon2.memoryKib} KiB, t=${info.argon2.timeCost}, p=${info.argon2.parallelism} (the production defaults). RSS is VmRSS sampled every 150 ms with the kernel high-water mark reset per phase.`,
    '',
  ];
  for (const r of results) {
    out.push(`## ${r.label}`, '');
    if (r.skipped) {
      out.push(`Skipped: ${r.skipped}.`, '');
      continue;
    }
    if (r.error) out.push(`**The run failed:** ${r.error}`, '');
    out.push(...table(r, info), '');
    const d = details(r);
    if (d.length) out.push(...d, '');
  }
  if (info.notes) out.push('## Closing note', '', info.notes.trim(), '');
  return out.join('\n');
}
