import type { Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource, FindOptionsWhere } from 'typeorm';
import { Order } from '../../src/ticketing/entities/order.entity';
import { SeatClaim } from '../../src/ticketing/entities/seat-claim.entity';
import { Schedule } from '../../src/schedules/entities/schedule.entity';
import type { GivenUser } from './factories';

export const API = '/api/v1';

export type Seat = { row: number; col: number };

export function hold(http: TestAgent, user: GivenUser, scheduleId: number, seats: Seat[]): Test {
  return http.post(`${API}/orders`).set(user.auth).send({ scheduleId, seats });
}

export function pay(http: TestAgent, user: GivenUser, orderId: number): Test {
  return http.post(`${API}/orders/${orderId}/pay`).set(user.auth).send({ channel: 'mock' });
}

/** Holds and pays; answers the paid order's data. */
export async function buyTickets(
  http: TestAgent,
  user: GivenUser,
  scheduleId: number,
  seats: Seat[],
): Promise<{ id: number; ticketCode: string; [key: string]: unknown }> {
  const held = await hold(http, user, scheduleId, seats);
  if (held.status !== 201) throw new Error(`hold failed: ${held.status} ${JSON.stringify(held.body)}`);
  const paid = await pay(http, user, held.body.data.id);
  if (paid.status !== 200) throw new Error(`pay failed: ${paid.status} ${JSON.stringify(paid.body)}`);
  return paid.body.data;
}

export function claimsOf(db: DataSource, where: FindOptionsWhere<SeatClaim>): Promise<SeatClaim[]> {
  return db.getRepository(SeatClaim).find({ where, order: { seatRow: 'ASC', seatCol: 'ASC' } });
}

export function orderRow(db: DataSource, id: number): Promise<Order> {
  return db.getRepository(Order).findOneByOrFail({ id });
}

export async function soldCountOf(db: DataSource, scheduleId: number): Promise<number> {
  return (await db.getRepository(Schedule).findOneByOrFail({ id: scheduleId })).soldCount;
}

/**
 * Moves an order's hold (and its claims) into the past, as if ORDER_HOLD_SECONDS had run out. Real
 * time needs no version bump (the seat map cache ends at the earliest hold expiry it shows), but
 * rewriting an expiry is a seat change the app never makes, so it bumps the showtime's seat
 * version the way every change made by the app does.
 */
export async function lapse(db: DataSource, orderId: number, agoMs = 1000): Promise<void> {
  const past = new Date(Date.now() - agoMs);
  const { scheduleId } = await db.getRepository(Order).findOneByOrFail({ id: orderId });
  await db.getRepository(Order).update({ id: orderId }, { expiresAt: past });
  await db.getRepository(SeatClaim).update({ orderId }, { expiresAt: past });
  await db.getRepository(Schedule).increment({ id: scheduleId }, 'seatVersion', 1);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The SELECT statements matching `pattern` that `work` sends (every statement passes the data source's logger). */
export async function selectsDuring(db: DataSource, pattern: RegExp, work: () => Promise<unknown>): Promise<string[]> {
  const selects: string[] = [];
  const logger = db.logger;
  const original = logger.logQuery.bind(logger);
  logger.logQuery = (query: string) => {
    if (/^\s*SELECT/i.test(query) && pattern.test(query)) selects.push(query);
  };
  try {
    await work();
  } finally {
    logger.logQuery = original;
  }
  return selects;
}
