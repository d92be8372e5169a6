import { JsonClient } from '../lib/http';
import { Buyer, nextOrder, SeatPool, ShowtimeSpec } from '../lib/seat-pool';
import { percentile, rng, round, sleep } from '../lib/util';
import { workerMain } from '../lib/worker';

export interface RushInput {
  port: number;
  showtimes: ShowtimeSpec[];
  /** One list of users per concurrent client. */
  clients: { id: number; token: string }[][];
  seatsPerOrder: number;
  raceShare: number;
  timeLimitMs: number;
  seed: number;
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
}

const MAX_FAILURES = 500;
/** A client never needs this many tries for its share of 6,000 seats; a bound in count besides the one in time. */
const MAX_ATTEMPTS_PER_CLIENT = 5000;

async function rush(input: RushInput): Promise<RushOutput> {
  const http = new JsonClient(input.port, input.clients.length);
  const pool = new SeatPool(input.showtimes);
  const random = rng(input.seed);
  const holdMs: number[] = [];
  const payMs: number[] = [];
  const failures: Record<string, number> = {};
  let seatsSold = 0;
  let ordersPaid = 0;
  let conflicts = 0;
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

  const started = performance.now();
  const deadline = started + input.timeLimitMs;
  const client = async (users: { id: number; token: string }[]) => {
    const buyer = new Buyer(users);
    // Waiting for holds in flight costs no try: the deadline bounds it.
    for (let attempt = 0; !aborted && attempt < MAX_ATTEMPTS_PER_CLIENT;) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      const order = nextOrder(pool, buyer, input.seatsPerOrder, input.raceShare, random);
      if (order === null) return;
      if (order === 'wait') {
        await sleep(2);
        continue;
      }
      const { showtimeId, seats, userIndex } = order;
      attempt++;
      const token = users[userIndex].token;
      pool.reserve(showtimeId, seats);
      const hold = await http.request<{ id: number }>('POST', '/orders', { scheduleId: showtimeId, seats }, token);
      pool.release(showtimeId, seats);
      holdMs.push(hold.ms);
      if (hold.status === 409 && hold.body?.code === 2003) {
        conflicts++;
        continue;
      }
      if (hold.status !== 201 || !hold.body?.data) {
        // No answer: the hold may exist, so nobody picks these seats again.
        if (hold.status === 0) pool.take(showtimeId, seats);
        fail('hold', hold.status, hold.body?.code);
        continue;
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
    }
  };
  await Promise.all(input.clients.map((users) => client(users)));
  const elapsedSec = (performance.now() - started) / 1000;
  http.close();
  return {
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
