import type { SaleAudit } from './checks';
import type { DbKind } from './db';
import type { Runtime } from './server';
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
  /** The product server's peak RSS per phase (the process that runs main.js; the launcher's own memory is in runtime). */
  peakRssMb: Record<string, number>;
  /** The bare app's peak RSS over its measures. */
  bareRssMb?: number;
  /** How scripts/start.js ran the product server. */
  runtime?: Runtime;
  /** CPU time (user + system) per phase, warm-up included, of the server the phase loads (the product or the bare app). */
  cpuMs: Record<string, number>;
  /** The local database server's CPU time per phase (MariaDB only, when it runs on this machine). */
  dbCpuMs?: Record<string, number>;
  /** The bare NestJS app's small JSON route. */
  ceiling?: CannonOutput;
  /** The ceiling measured again after the rush: the ratios use the mean of both (see ceilingRps). */
  ceilingAfter?: CannonOutput;
  /** The bare app answering the product's seat-map bytes, before and after the seat map. */
  sameBytes?: CannonOutput;
  sameBytesAfter?: CannonOutput;
  /** What the bare app sends on that route. */
  sameBytesAnswer?: { bytes: number; headers: number; encoding: string };
  seatMap?: CannonOutput;
  /** --pieces: the same bytes with pieces of the product's request path added to the bare app. */
  pieces?: { pieces: string; output: CannonOutput; cpuMs: number }[];
  /** The product's own GET /health/live (the ceiling before the bare app was), for reference. */
  productLive?: CannonOutput;
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
  argon2: { memoryKib: number; timeCost: number; parallelism: number; verifyMs: number };
  notes?: string;
}

export const TARGETS = {
  seatMapShare: 0.8,
  seatMapP99Ms: 50,
  rushShare: 0.4,
  idleRssMb: 150,
  peakRssMb: 300,
};

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${round(Math.abs(x), 3)}`;
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? '**PASS**' : '**MISS**');
const pct = (x: number) => `${round(x * 100, 0)} %`;
const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 'n/a' : `${round(x, 1)} ms`);
const num = (x: number | undefined, digits = 0) =>
  x === undefined || !Number.isFinite(x) ? 'n/a' : String(round(x, digits));

/**
 * Each reference is measured twice and the ratios divide by the mean, so that a drift of the shared
 * machine's speed between measures (runs here moved a ceiling by up to 15 %) weighs on both sides of
 * a ratio alike: the framework ceiling before the seat map and after the rush, the same bytes just
 * before and just after the seat map.
 */
function meanRps(a: CannonOutput | undefined, b: CannonOutput | undefined): number | undefined {
  if (!a) return undefined;
  return b ? (a.rps + b.rps) / 2 : a.rps;
}

export const ceilingRps = (r: DbResult) => meanRps(r.ceiling, r.ceilingAfter);
export const sameBytesRps = (r: DbResult) => meanRps(r.sameBytes, r.sameBytesAfter);

/** What the product's memory is, as `npm start` runs it: the server's, plus the launcher's own pages if there is one. */
function launcherMb(r: DbResult): number {
  return r.runtime?.launcherMb ?? 0;
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
  const peak = Math.max(0, ...Object.values(r.peakRssMb)) + launcherMb(r);
  const oversold = r.audit ? r.audit.doubleClaimed + r.audit.doublePaid : undefined;
  const sameBytes = sameBytesRps(r);
  return {
    seatMap:
      r.seatMap && sameBytes !== undefined
        ? r.seatMap.rps >= TARGETS.seatMapShare * sameBytes &&
          r.seatMap.p99 < TARGETS.seatMapP99Ms &&
          r.seatMap.non2xx === 0
        : undefined,
    rush: r.rush && bound ? r.rush.seatsPerSec >= TARGETS.rushShare * bound.seatsPerSec : undefined,
    integrity:
      r.rush && r.audit
        ? oversold === 0 && r.rush.fiveXx === 0 && (r.rushWarmup?.fiveXx ?? 0) === 0 && r.audit.soldCountDrift === 0
        : undefined,
    idleRss: r.idleRssMb === undefined ? undefined : r.idleRssMb + launcherMb(r) < TARGETS.idleRssMb,
    peakRss: Object.keys(r.peakRssMb).length ? peak < TARGETS.peakRssMb : undefined,
  };
}

function twice(name: string, a: CannonOutput, b: CannonOutput | undefined, mean: number | undefined, when: string) {
  const again = b
    ? `; again ${when}: ${num(b.rps)} req/s, p50 ${ms(b.p50)}, p99 ${ms(b.p99)}; mean ${num(mean)} req/s`
    : '';
  return `${name} | ${num(a.rps)} req/s, p50 ${ms(a.p50)}, p99 ${ms(a.p99)}${again}`;
}

function table(r: DbResult, info: RunInfo): string[] {
  const s = info.settings;
  const v = verdicts(r);
  const lines = ['| measure | figure | against | ratio | target | verdict |', '| --- | --- | --- | --- | --- | --- |'];
  const c = r.ceiling;
  const ceiling = ceilingRps(r);
  if (c) {
    lines.push(
      `| ${twice(`Framework ceiling: bare NestJS app (Express adapter, one controller), GET /api/v1/health/live → \`{"status":"ok"}\`, ${s.connections} conn`, c, r.ceilingAfter, ceiling, 'after the rush')} | | | | |`,
    );
  }
  const same = sameBytesRps(r);
  if (r.sameBytes) {
    const a = r.sameBytesAnswer;
    const what = a ? ` (${a.bytes} bytes ${a.encoding}, ${a.headers} headers)` : '';
    lines.push(
      `| ${twice(`Same bytes: the bare app answering GET /api/v1/schedules/:id/seats with the product's answer${what} from memory, ${s.connections} conn`, r.sameBytes, r.sameBytesAfter, same, 'after the seat map')} | ceiling ${num(ceiling)} req/s | ${ceiling ? pct(r.sameBytes.rps / ceiling) : 'n/a'} | | |`,
    );
  }
  const m = r.seatMap;
  if (m && same !== undefined) {
    const state = r.seatMapState ? ` (${r.seatMapState.sold} sold, ${r.seatMapState.held} held of 600)` : '';
    const bad = m.non2xx || m.errors ? `, ${m.non2xx} non-2xx, ${m.errors} errors` : '';
    // On a slow or busy machine the route that does nothing may miss the latency bound itself.
    const refP99 = Math.min(r.sameBytes!.p99, r.sameBytesAfter?.p99 ?? Infinity);
    const slow = refP99 >= 50 ? ` (the same bytes' own p99 is ${ms(refP99)} or more on this machine)` : '';
    const vsCeiling = ceiling ? `; ${pct(m.rps / ceiling)} of the ceiling` : '';
    lines.push(
      `| Seat map GET /api/v1/schedules/:id/seats${state}, ${s.connections} conn | ${num(m.rps)} req/s, p50 ${ms(m.p50)}, p99 ${ms(m.p99)}${slow}${bad} | same bytes ${num(same)} req/s; ceiling ${num(ceiling)} req/s | ${pct(m.rps / same)} of the same bytes${vsCeiling} | ≥ 80 % of the same bytes and p99 < 50 ms | ${verdict(v.seatMap)} |`,
    );
  }
  const live = r.productLive;
  if (live && ceiling) {
    lines.push(
      `| The product's GET /api/v1/health/live (its cheapest route; the ceiling of earlier reports), ${s.connections} conn | ${num(live.rps)} req/s, p50 ${ms(live.p50)}, p99 ${ms(live.p99)} | ceiling ${num(ceiling)} req/s | ${pct(live.rps / ceiling)} | (none) | — |`,
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
      `| Rush: ${s.rushClients} clients, ${s.rushShowtimes} showtimes × 600 seats | ${num(rush.seatsPerSec)} seats/s (${rush.seatsSold} seats, ${rush.ordersPaid} orders in ${rush.elapsedSec} s${done}); hold p99 ${ms(rush.holdP99)}, pay p99 ${ms(rush.payP99)} | bound ${num(bound.seatsPerSec)} seats/s, **${bound.binds} binds** (database ${db}; framework: the bare app's ${num(ceiling)} req/s ÷ 2 requests an order × ${rush.avgSeatsPerOrder} seats = ${num(bound.framework)} seats/s) | ${pct(rush.seatsPerSec / bound.seatsPerSec)} | ≥ 40 % | ${verdict(v.rush)} |`,
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
    const threads = Math.min(info.machine.cores, Number(r.runtime?.threadpool) || 4);
    const bound = (threads / info.argon2.verifyMs) * 1000;
    lines.push(
      `| Login: GET /captcha + POST /auth/login, ${s.loginConnections} conn | ${num(l.loginsPerSec, 1)} logins/s, login p50 ${ms(l.loginP50)}, p99 ${ms(l.loginP99)}${l.loginFailures ? `, ${l.loginFailures} failed` : ''} | argon2 bound ≈ ${num(bound, 1)} logins/s (${threads} threads ÷ ${num(info.argon2.verifyMs, 1)} ms per verify) | ${pct((l.loginsPerSec ?? 0) / bound)} | (none) | — |`,
    );
  }
  const launcher = r.runtime?.launcherMb;
  const plus = launcher === undefined ? '' : ` + the launcher's own ${num(launcher)} MB`;
  const launcherNote =
    launcher === undefined
      ? ''
      : ` (the server process, plus scripts/start.js's own pages: ${num(launcher)} MB; the node binary's pages it also maps are the server's too)`;
  if (r.idleRssMb !== undefined) {
    lines.push(
      `| Idle RSS after \`npm start\`${launcherNote} | ${num(r.idleRssMb)} MB${plus} | | | < 150 MB | ${verdict(v.idleRss)} |`,
    );
  }
  const peaks = Object.entries(r.peakRssMb);
  if (peaks.length) {
    const each = peaks.map(([phase, mb]) => `${phase} ${num(mb)}`).join(', ');
    lines.push(`| Peak RSS per phase of \`npm start\` (MB) | ${each}${plus} | | | < 300 MB | ${verdict(v.peakRss)} |`);
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
  /** CPU per request over one or two phases of the same measure. */
  const perMs = (phases: [string, CannonOutput | undefined][]): number | undefined => {
    const measured = phases.filter(([phase, c]) => c && cpu[phase] !== undefined);
    const requests = measured.reduce((n, [, c]) => n + c!.allRequests, 0);
    return requests ? measured.reduce((t, [phase]) => t + cpu[phase], 0) / requests : undefined;
  };
  const fmt = (x: number | undefined) => (x === undefined ? undefined : `${round(x, 2)} ms`);
  const ceilingCpu = perMs([
    ['ceiling', r.ceiling],
    ['ceiling again', r.ceilingAfter],
  ]);
  const sameCpu = perMs([
    ['same bytes', r.sameBytes],
    ['same bytes again', r.sameBytesAfter],
  ]);
  const seatMapCpu = perMs([['seat map', r.seatMap]]);
  const rushRequests = r.rush ? r.rush.holdAttempts + r.rush.payAttempts : undefined;
  const per = (phase: string, n: number | undefined) =>
    cpu[phase] !== undefined && n ? `${round(cpu[phase] / n, 2)} ms` : undefined;
  const costs = [
    ['bare ceiling request', fmt(ceilingCpu)],
    ['bare same-bytes request', fmt(sameCpu)],
    ['seat map request', fmt(seatMapCpu)],
    ['product health/live request', fmt(perMs([['health/live', r.productLive]]))],
    ['rush request', per('rush', rushRequests)],
    ['seat sold in the rush', per('rush', r.rush?.seatsSold)],
    ['login (captcha + login)', per('login', r.login ? r.login.allRequests / 2 : undefined)],
  ].filter(([, v]) => v);
  if (costs.length) {
    out.push(
      `- Server CPU time (user + system, all threads; the bare app's for its measures) per ${costs.map(([k, v]) => `${k}: ${v}`).join('; ')}. Unlike rates, these hardly move with the load of other processes.`,
    );
  }
  if (seatMapCpu !== undefined && sameCpu !== undefined) {
    out.push(
      `- The product's own work per seat-map request (its CPU less the bare app's for the same bytes): ${round(seatMapCpu - sameCpu, 2)} ms, ${pct((seatMapCpu - sameCpu) / seatMapCpu)} of the request; the same bytes cost ${pct(sameCpu / seatMapCpu)} of it, so at equal CPU the seat map could run at most at ${pct(sameCpu / seatMapCpu)} of the same bytes' rate.`,
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
    ['same-bytes request', client(r.sameBytes?.clientCpuMs, r.sameBytes?.allRequests)],
    ['seat map request', client(r.seatMap?.clientCpuMs, r.seatMap?.allRequests)],
    ['rush request', client(r.rush?.clientCpuMs, rushRequests)],
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
  if (r.pieces?.length && sameCpu !== undefined) {
    out.push(
      `- Pieces of the product's request path added to the bare app's same bytes (--pieces; server CPU per request, and the difference to the plain same bytes' ${round(sameCpu, 3)} ms): ${r.pieces
        .map(
          (p) =>
            `${p.pieces.replace(/,/g, ' + ')} ${round(p.cpuMs / p.output.allRequests, 3)} ms (${signed(p.cpuMs / p.output.allRequests - sameCpu)} ms, ${num(p.output.rps)} req/s, p99 ${ms(p.output.p99)})`,
        )
        .join('; ')}.`,
    );
  }
  if (r.bareRssMb !== undefined) out.push(`- The bare app's peak RSS over its measures: ${num(r.bareRssMb)} MB.`);
  for (const [name, c] of [
    ['Ceiling', r.ceiling],
    ['Ceiling again', r.ceilingAfter],
    ['Same bytes', r.sameBytes],
    ['Same bytes again', r.sameBytesAfter],
    ['Seat map', r.seatMap],
    ['Product health/live', r.productLive],
    ['Login', r.login],
  ] as const) {
    if (c && (c.non2xx || c.errors || c.timeouts)) {
      out.push(`- ${name}: ${c.non2xx} non-2xx, ${c.errors} errors, ${c.timeouts} timeouts of ${c.total}.`);
    }
  }
  return out;
}

function runtimeText(results: DbResult[]): string {
  const rt = results.find((r) => r.runtime)?.runtime;
  if (!rt) return 'not read';
  const launcher =
    rt.launcherMb === undefined
      ? 'start.js became the server itself (process.execve)'
      : `start.js stays as its parent, passing signals on (this Node has no process.execve)`;
  return `the server ran as \`${rt.command}\` with UV_THREADPOOL_SIZE=${rt.threadpool}; ${launcher}`;
}

/** `sections`: further sections (the Galera run), placed before the closing note. */
export function renderReport(info: RunInfo, results: DbResult[], sections: string[] = []): string {
  const s = info.settings;
  const m = info.machine;
  const out = [
    '# TTMS benchmark results',
    '',
    `Generated by \`${info.command}\` on ${info.startedAt} (commit ${info.commit}${info.quick ? ', QUICK smoke run: short durations, figures are rough' : ''}), ${info.durationSec} s in all.`,
    '',
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB memory, Node ${m.node}, ${m.os}. Server and load generators share these cores.`,
    '',
    `Method: the built server (\`nest build\` into .bench-tmp/dist) run the way \`npm start\` runs it, \`node scripts/start.js\` (here with \`--entry .bench-tmp/dist/main.js\`) and no NODE_OPTIONS of the bench's own, so with the runtime bounds start.js applies when the environment sets none: ${runtimeText(results)}; NODE_ENV=test, LOG_LEVEL=warn, RATE_LIMITS=off, DEMO_DATA=false; on a fresh database per run. ` +
      `The reference is a bare NestJS app (bench/bare-app: NestFactory on the Express adapter, one controller, the project's own node_modules, no middleware, guards, pipes, logging or database), run through start.js too: its \`GET /api/v1/health/live\` answering \`{"status":"ok"}\` is the framework's ceiling, and its \`GET /api/v1/schedules/:id/seats\` answers from memory the status, headers and body (gzip) that the product answered once for the seat map, checked byte for byte before the measures ("same bytes"). The seat map's ratio to the same bytes is what the product's own work per request costs; the rush's framework bound is the bare ceiling ÷ 2 requests per order. ` +
      `Each HTTP figure is measured for ${s.durationSec} s after a ${s.warmupSec} s warm-up by autocannon in its own process, sending \`Accept-Encoding: gzip, deflate, br\` as browsers and mobile HTTP stacks do (rush: a keep-alive client loop on raw sockets in its own process, each client's connection opened before the clock starts). The ceiling is measured before the seat map and again after the rush, the same bytes just before and just after the seat map, and the ratios divide by the mean of each pair, so that the shared machine's drift between measures weighs on both sides alike. ` +
      `Rush: ${s.rushClients} clients, each with its own ${s.usersPerClient} users (6 seats per user and showtime), hold ${s.seatsPerOrder} random available seats (in a hall whose middle 5 rows are a VIP zone at its own price; every third hold carries a voucher with enough uses) then pay, until all ${s.rushShowtimes * 600} seats of ${s.rushShowtimes} showtimes are sold (limit ${s.rushLimitSec} s), after a warm-up rush on ${s.rushWarmupShowtimes} other showtimes (the bare script gets the same warm-up); ` +
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
  if (sections.length) out.push(...sections, '');
  if (info.notes) out.push('## Closing note', '', info.notes.trim(), '');
  return out.join('\n');
}
