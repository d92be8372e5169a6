import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { Schedule } from '../../src/schedules/entities/schedule.entity';
import { Order } from '../../src/ticketing/entities/order.entity';
import { SeatClaim } from '../../src/ticketing/entities/seat-claim.entity';
import type { GivenShowtime, GivenUser } from './factories';
import { API, hold, pay, Seat, sleep } from './ticketing';

export interface SellOutOptions {
  /** HTTP targets; client i talks to agents[i % agents.length] (several app processes share one database). */
  agents: TestAgent[];
  db: DataSource;
  customers: GivenUser[];
  showtime: GivenShowtime;
  holdSeconds: number;
  /** Holds made before the clients stop cancelling, abandoning and refunding, and just buy. */
  chaosHolds: number;
  timeLimitMs: number;
}

export interface SellOutStats {
  holds: number;
  refusedHolds: number;
  paid: number;
  cancelled: number;
  abandoned: number;
  refunded: number;
  latePaysRefused: number;
  unexpected: string[];
}

type SeatState = Seat & { status: string };
const key = (seat: Seat) => `${seat.row}-${seat.col}`;

/** Pay, abandon, cancel, pay: half the chaotic holds are paid, a quarter cancelled, a quarter abandoned. */
const CHAOS_ROLLS = [0.1, 0.9, 0.6, 0.3];

/**
 * Many clients hold, pay, cancel, refund and abandon holds at random on one showtime until every
 * seat is sold. Every answer must be one the contract allows at that moment; the caller then
 * checks the database with `expectConsistentSellOut`.
 */
export async function sellOut(options: SellOutOptions): Promise<SellOutStats> {
  const { agents, customers, showtime, holdSeconds } = options;
  const scheduleId = showtime.schedule.id;
  const stats: SellOutStats = {
    holds: 0,
    refusedHolds: 0,
    paid: 0,
    cancelled: 0,
    abandoned: 0,
    refunded: 0,
    latePaysRefused: 0,
    unexpected: [],
  };
  const stopAt = Date.now() + options.timeLimitMs;
  const unexpectedLimit = 20;
  const latePays: Promise<void>[] = [];
  const unexpected = (what: string, res: Response) => {
    if (stats.unexpected.length < unexpectedLimit) {
      stats.unexpected.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  /** A refusal of a hold we sent before it lapsed is fine only once the hold has really lapsed. */
  const lapsed = (expiresAt: string) => Date.now() >= Date.parse(expiresAt);

  async function client(index: number): Promise<void> {
    const http = agents[index % agents.length];
    const user = customers[index];
    const mine: number[] = [];
    while (Date.now() < stopAt) {
      const map = await http.get(`${API}/schedules/${scheduleId}/seats`);
      if (map.status !== 200) {
        unexpected('seat map', map);
        continue;
      }
      const seats = map.body.data.seats as SeatState[];
      const free = seats.filter((s) => s.status === 'available');
      if (!free.length) {
        if (seats.every((s) => s.status === 'sold' || s.status === 'disabled')) return;
        await sleep(50 + Math.random() * 100);
        continue;
      }
      const chaos = stats.holds < options.chaosHolds;
      const want = shuffle(free)
        .slice(0, 1 + Math.floor(Math.random() * Math.min(3, free.length)))
        .map(({ row, col }) => ({ row, col }));
      const held = await hold(http, user, scheduleId, want);
      if (held.status === 409 && held.body.code === 2003) {
        stats.refusedHolds++;
        continue;
      }
      if (held.status === 409 && held.body.code === 2004) {
        // This client owns its 6: give one back while the chaos lasts, otherwise it is done buying.
        if (!chaos) return;
        if (!mine.length) {
          await sleep(100);
          continue;
        }
        const refund = await http.post(`${API}/orders/${mine.shift()}/refund`).set(user.auth);
        if (refund.status === 200) stats.refunded++;
        else unexpected('refund', refund);
        continue;
      }
      if (held.status !== 201) {
        unexpected('hold', held);
        continue;
      }
      stats.holds++;
      const order = held.body.data as { id: number; expiresAt: string };
      // The chaos goes round in a fixed cycle, so that even a short run abandons, cancels and refunds.
      const roll = CHAOS_ROLLS[stats.holds % CHAOS_ROLLS.length];
      if (!chaos || roll < 0.5) {
        const paid = await pay(http, user, order.id);
        if (paid.status === 200) {
          stats.paid++;
          mine.push(order.id);
        } else if (!(paid.body.code === 2006 && lapsed(order.expiresAt))) {
          unexpected('pay', paid);
        }
        if (chaos && paid.status === 200 && stats.paid % 2 === 1) {
          const refund = await http.post(`${API}/orders/${mine.pop()}/refund`).set(user.auth);
          if (refund.status === 200) stats.refunded++;
          else unexpected('refund', refund);
        }
      } else if (roll < 0.75) {
        const cancelled = await http.post(`${API}/orders/${order.id}/cancel`).set(user.auth);
        if (cancelled.status === 200) stats.cancelled++;
        else if (!(cancelled.body.code === 2006 && lapsed(order.expiresAt))) unexpected('cancel', cancelled);
      } else {
        stats.abandoned++;
        // Some clients come back too late: the lapsed hold must not be payable any more.
        if (Math.random() < 0.5) latePays.push(payTooLate(http, user, order));
      }
    }
  }

  async function payTooLate(http: TestAgent, user: GivenUser, order: { id: number; expiresAt: string }): Promise<void> {
    await sleep(Date.parse(order.expiresAt) - Date.now() + 50);
    const res = await pay(http, user, order.id);
    if (res.status === 409 && res.body.code === 2006) stats.latePaysRefused++;
    else unexpected('late pay', res);
  }

  await Promise.all(customers.map((_, i) => client(i)));
  await Promise.all(latePays);
  // Let the last abandoned holds lapse and the sweep (SWEEP_SECONDS=1) write them off.
  const sweptBy = Date.now() + holdSeconds * 1000 + 8000;
  while (Date.now() < sweptBy && (await options.db.getRepository(Order).countBy({ scheduleId, status: 'pending' }))) {
    await sleep(200);
  }
  return stats;
}

/** Every seat sold at most once, the counter equal to the paid seats, no claim left by a dead order. */
export async function expectConsistentSellOut(db: DataSource, showtime: GivenShowtime): Promise<void> {
  const scheduleId = showtime.schedule.id;
  const orders = await db.getRepository(Order).findBy({ scheduleId });
  const claims = await db.getRepository(SeatClaim).findBy({ scheduleId });
  const schedule = await db.getRepository(Schedule).findOneByOrFail({ id: scheduleId });
  const paid = orders.filter((o) => o.status === 'paid');
  const paidSeats = paid.flatMap((o) => o.seats.map(key));

  expect(new Set(paidSeats).size).toBe(paidSeats.length);
  expect(schedule.soldCount).toBe(paidSeats.length);
  expect(paidSeats.length).toBe(showtime.hall.seatCount);
  const disabled = new Set(showtime.hall.disabledSeats.map(key));
  expect(paidSeats.filter((s) => disabled.has(s))).toEqual([]);

  expect(orders.filter((o) => o.status === 'pending')).toEqual([]);
  for (const order of orders) expect(order.amountCents).toBe(order.unitPriceCents * order.seats.length);

  const paidIds = new Set(paid.map((o) => o.id));
  expect(claims.filter((c) => !paidIds.has(c.orderId))).toEqual([]);
  expect(claims.filter((c) => c.expiresAt !== null)).toEqual([]);
  const claimed = claims.map((c) => `${c.orderId}:${c.seatRow}-${c.seatCol}`).sort();
  const sold = paid.flatMap((o) => o.seats.map((s) => `${o.id}:${key(s)}`)).sort();
  expect(claimed).toEqual(sold);
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
