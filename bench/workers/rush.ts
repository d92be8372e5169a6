import { RawHttpConnection } from '../lib/raw-http';
import { Buyer, buyUntilSoldOut, BuyingRules, SeatPool, ShowtimeSpec } from '../lib/seat-pool';
import { percentile, rng, round } from '../lib/util';
import { workerMain } from '../lib/worker';

export interface RushInput {
  port: number;
  /** Several instances: client i talks to ports[i % ports.length] (instead of `port`). */
  ports?: number[];
  showtimes: ShowtimeSpec[];
  /** One list of users per concurrent client. */
  clients: { id: number; token: string }[][];
  seatsPerOrder: number;
  raceShare: number;
  timeLimitMs: number;
  seed: number;
  /** Every third hold carries it (a voucher with enough uses for all). */
  voucherCode?: string;
}

export interface RushOutput {
  seatsSold: number;
  ordersPaid: number;
  elapsedSec: number;
  seatsPerSec: number;
  avgSeatsPerOrder: number;
  holdAttempts: number;
  payAttempts: number;
  holdP50: number;
  holdP99: number;
  payP50: number;
  payP99: number;
  /** 2003 answers: a seat lost to another hold. */
  conflicts: number;
  fiveXx: number;
  /** Any other failed answer (4xx but 2003, no answer at all, a pay that did not pay), by code. */
  failures: Record<string, number>;
  unsoldSeats: number;
  timedOut: boolean;
  aborted?: string;
  /** The load generator's own CPU time (user + system), to show what it takes from the shared cores. */
  clientCpuMs: number;
}

const MAX_FAILURES = 500;
/** A client never needs this many tries for its share of 6,000 seats; a bound in count besides the one in time. */
const MAX_ATTEMPTS_PER_CLIENT = 5000;

async function rush(input: RushInput): Promise<RushOutput> {
  const pool = new SeatPool(input.showtimes);
  const random = rng(input.seed);
  const holdMs: number[] = [];
  const payMs: number[] = [];
  const failures: Record<string, number> = {};
  let seatsSold = 0;
  let ordersPaid = 0;
  let conflicts = 0;
  let holds = 0;
  let fiveXx = 0;
  let failureCount = 0;
  let timedOut = false;
  let aborted: string | undefined;
  const fail = (what: string, status: number, code?: number) => {
    const key = `${what} ${status}${code ? `/${code}` : ''}`;
    failures[key] = (failures[key] ?? 0) + 1;
    if (status >= 500) fiveXx++;
    if (++failureCount >= MAX_FAILURES) aborted = `${failureCount} failed requests (last: ${key})`;
  };

  // Every client's keep-alive connection is open before the clock starts: a busy server accepts
  // about one new connection per event-loop turn, which would otherwise stretch the start over
  // seconds and measure connection set-up instead of sales.
  const ports = input.ports ?? [input.port];
  const connections = input.clients.map((_, i) => new RawHttpConnection(ports[i % ports.length]));
  await Promise.all(connections.map((connection) => connection.request('GET', '/health/live')));

  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  const deadline = started + input.timeLimitMs;
  const rules: BuyingRules = {
    pool,
    seatsPerOrder: input.seatsPerOrder,
    raceShare: input.raceShare,
    random,
    deadline,
    maxAttempts: MAX_ATTEMPTS_PER_CLIENT,
    stop: () => aborted !== undefined,
  };
  const client = async (users: { id: number; token: string }[], http: RawHttpConnection) => {
    const buyer = new Buyer(users);
    const ranOut = await buyUntilSoldOut(rules, buyer, async ({ showtimeId, seats, userIndex }) => {
      const token = users[userIndex].token;
      pool.reserve(showtimeId, seats);
      const body =
        input.voucherCode && ++holds % 3 === 0
          ? { scheduleId: showtimeId, seats, voucherCode: input.voucherCode }
          : { scheduleId: showtimeId, seats };
      const hold = await http.request<{ id: number }>('POST', '/orders', body, token);
      pool.release(showtimeId, seats);
      holdMs.push(hold.ms);
      if (hold.status === 409 && hold.body?.code === 2003) {
        conflicts++;
        return;
      }
      if (hold.status !== 201 || !hold.body?.data) {
        // No answer: the hold may exist, so nobody picks these seats again.
        if (hold.status === 0) pool.take(showtimeId, seats);
        fail('hold', hold.status, hold.body?.code);
        return;
      }
      pool.take(showtimeId, seats);
      buyer.add(showtimeId, userIndex, seats.length);
      const pay = await http.request<{ status: string }>(
        'POST',
        `/orders/${hold.body.data.id}/pay`,
        { channel: 'mock' },
        token,
      );
      payMs.push(pay.ms);
      if (pay.status === 200 && pay.body?.data?.status === 'paid') {
        seatsSold += seats.length;
        ordersPaid++;
      } else {
        fail('pay', pay.status, pay.body?.code);
      }
    });
    if (ranOut) timedOut = true;
  };
  await Promise.all(input.clients.map((users, i) => client(users, connections[i])));
  const elapsedSec = (performance.now() - started) / 1000;
  for (const connection of connections) connection.close();
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    clientCpuMs: round((cpu.user + cpu.system) / 1000, 0),
    seatsSold,
    ordersPaid,
    elapsedSec: round(elapsedSec, 2),
    seatsPerSec: round(seatsSold / elapsedSec, 1),
    avgSeatsPerOrder: round(seatsSold / Math.max(1, ordersPaid), 2),
    holdAttempts: holdMs.length,
    payAttempts: payMs.length,
    holdP50: round(percentile(holdMs, 50), 1),
    holdP99: round(percentile(holdMs, 99), 1),
    payP50: round(percentile(payMs, 50), 1),
    payP99: round(percentile(payMs, 99), 1),
    conflicts,
    fiveXx,
    failures,
    unsoldSeats: pool.remaining(),
    timedOut,
    aborted,
  };
}

workerMain(rush);
