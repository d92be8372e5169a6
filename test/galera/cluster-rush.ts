import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource, In } from 'typeorm';
import { Schedule } from '../../src/schedules/entities/schedule.entity';
import { Order } from '../../src/ticketing/entities/order.entity';
import type { GivenShowtime, GivenUser } from '../support/factories';
import { pick } from '../support/rush';
import { expectConsistentSellOut } from '../support/sell-out';
import { API, hold, pay, Seat, sleep } from '../support/ticketing';

/** Past this a client gives up on a request and records it unanswered (status 0). */
const REQUEST_TIMEOUT_MS = 15_000;
const SEATS_PER_USER = 6;
const MOST_SEATS_PER_HOLD = 4;
/** A payment that failed with a 5xx or went unanswered is sent again, as a client app would. */
const PAY_ATTEMPTS = 3;

export type ClusterAction = 'seats' | 'hold' | 'pay';

/** One request as its client saw it. */
export interface ClusterAnswer {
  client: number;
  instance: number;
  action: ClusterAction;
  scheduleId: number;
  orderId?: number;
  start: number;
  end: number;
  /** 0: no answer (refused connection, timeout). */
  status: number;
  code?: number;
  /** The body of an answer outside the normal ones, or why none came. */
  detail?: string;
}

/** A hold answered 201, and the payment's answer. */
export interface ClusterSale {
  client: number;
  userId: number;
  instance: number;
  scheduleId: number;
  orderId: number;
  seats: Seat[];
  paid?: { id: number; status: string; ticketCode: string | null; seats: Seat[] };
}

export interface ClusterRushOptions {
  /** Client i talks to instances[i % instances.length] only. */
  instances: TestAgent[];
  customers: GivenUser[];
  scheduleIds: number[];
  timeLimitMs: number;
}

type SeatState = Seat & { status: string };

/**
 * Clients that buy until every showtime is sold out: each reads the seat map of a showtime through
 * its instance, holds 1 to 4 of the seats it shows free, pays at once, and on 2003 (taken meanwhile)
 * reads the map again. A client stays under the 6-seat cap of each showtime by counting its own
 * holds, so 2004 is never a normal answer. Every request is recorded with its instance.
 */
export class ClusterRush {
  readonly answers: ClusterAnswer[] = [];
  readonly sales: ClusterSale[] = [];
  readonly soldOut = new Set<number>();
  readonly startedAt = Date.now();
  finishedAt = 0;
  private stopped = false;
  private readonly stopAt: number;
  private readonly done: Promise<void>;

  constructor(private readonly options: ClusterRushOptions) {
    this.stopAt = this.startedAt + options.timeLimitMs;
    this.done = Promise.all(options.customers.map((_, i) => this.client(i))).then(() => {
      this.finishedAt = Date.now();
    });
  }

  /** Resolves when every showtime is sold out (or the time limit passed). */
  finished(): Promise<void> {
    return this.done;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  paidSeats(): number {
    return this.sales.reduce((sum, sale) => sum + (sale.paid ? sale.seats.length : 0), 0);
  }

  /** Seats per second and how many requests each instance answered, for the log. */
  summary(): string {
    const seconds = ((this.finishedAt || Date.now()) - this.startedAt) / 1000;
    const perInstance = this.options.instances.map((_, i) => {
      const mine = this.answers.filter((a) => a.instance === i);
      const of = (action: ClusterAction) => mine.filter((a) => a.action === action).length;
      return `instance ${i + 1}: ${mine.length} (${of('seats')} seat maps, ${of('hold')} holds, ${of('pay')} payments)`;
    });
    const taken = this.answers.filter((a) => a.action === 'hold' && a.code === 2003).length;
    return (
      `${this.paidSeats()} seats sold in ${seconds.toFixed(1)} s (${(this.paidSeats() / seconds).toFixed(0)} seats/s), ` +
      `${this.sales.length} orders, ${taken} holds refused as taken; requests: ${perInstance.join('; ')}`
    );
  }

  private async client(index: number): Promise<void> {
    const { instances, scheduleIds } = this.options;
    const user = this.options.customers[index];
    const instance = index % instances.length;
    const http = instances[instance];
    const owned = new Map<number, number>();
    let wanted: number | undefined;
    while (!this.stopped && Date.now() < this.stopAt) {
      const open = scheduleIds.filter((id) => !this.soldOut.has(id) && (owned.get(id) ?? 0) < SEATS_PER_USER);
      if (!open.length) return;
      const scheduleId = wanted !== undefined && open.includes(wanted) ? wanted : pick(open, 1)[0];
      wanted = scheduleId;
      const send = (action: ClusterAction, req: () => Test, orderId?: number) =>
        this.send({ client: index, instance, action, scheduleId, orderId }, req);

      const map = await send('seats', () => http.get(`${API}/schedules/${scheduleId}/seats`));
      if (map.status !== 200) {
        await pause();
        continue;
      }
      const seats = map.body.data.seats as SeatState[];
      const free = seats.filter((s) => s.status === 'available');
      if (!free.length) {
        if (seats.every((s) => s.status === 'sold' || s.status === 'disabled')) this.soldOut.add(scheduleId);
        // Only holds left here: they are paid or lapse; meanwhile another showtime.
        else await sleep(100);
        wanted = undefined;
        continue;
      }
      const room = SEATS_PER_USER - (owned.get(scheduleId) ?? 0);
      const count = 1 + Math.floor(Math.random() * Math.min(MOST_SEATS_PER_HOLD, room, free.length));
      const want = pick(free, count).map(({ row, col }) => ({ row, col }));
      const held = await send('hold', () => hold(http, user, scheduleId, want));
      if (held.status === 409 && held.body.code === 2003) continue;
      if (held.status !== 201) {
        await pause();
        continue;
      }
      owned.set(scheduleId, (owned.get(scheduleId) ?? 0) + want.length);
      const sale: ClusterSale = {
        client: index,
        userId: user.user.id,
        instance,
        scheduleId,
        orderId: held.body.data.id,
        seats: want,
      };
      this.sales.push(sale);
      for (let attempt = 1; attempt <= PAY_ATTEMPTS; attempt++) {
        const paid = await send('pay', () => pay(http, user, sale.orderId), sale.orderId);
        if (paid.status === 200) sale.paid = paid.body.data;
        if (paid.status !== 0 && paid.status < 500) break;
        await pause();
      }
      wanted = undefined;
    }
  }

  /** Sends one request; no answer is recorded as status 0, never thrown. */
  private async send(
    entry: Omit<ClusterAnswer, 'start' | 'end' | 'status'>,
    req: () => Test,
  ): Promise<Pick<Response, 'status' | 'body'>> {
    const answer: ClusterAnswer = { ...entry, start: Date.now(), end: 0, status: 0 };
    this.answers.push(answer);
    try {
      const res = await req().timeout(REQUEST_TIMEOUT_MS);
      Object.assign(answer, { end: Date.now(), status: res.status, code: (res.body as { code?: number })?.code });
      if (!isNormalAnswer(answer)) answer.detail = JSON.stringify(res.body);
      return res;
    } catch (error) {
      Object.assign(answer, { end: Date.now(), detail: (error as Error).message });
      return { status: 0, body: {} };
    }
  }
}

/** After an answer that is not a sale's: a client app waits a moment before it tries again. */
const pause = () => sleep(200 + Math.random() * 200);

/** The answers the contract allows in a rush outside any fault. */
export function isNormalAnswer(a: ClusterAnswer): boolean {
  switch (a.action) {
    case 'seats':
    case 'pay':
      return a.status === 200 && a.code === 1000;
    case 'hold':
      return (a.status === 201 && a.code === 1000) || (a.status === 409 && a.code === 2003);
  }
}

export const describeAnswer = (a: ClusterAnswer, origin: number) =>
  `${a.action} of client ${a.client} via instance ${a.instance + 1} (showtime ${a.scheduleId}` +
  `${a.orderId ? `, order ${a.orderId}` : ''}) at +${a.start - origin} ms, ${a.end - a.start} ms: ` +
  `${a.status} ${a.detail ?? a.code}`;

/** The first `most` lines and how many more there were: a failure message stays readable. */
export function firstOf(lines: string[], most = 30): string[] {
  return lines.length > most ? [...lines.slice(0, most), `... and ${lines.length - most} more`] : lines;
}

const seatKey = (seat: Seat) => `${seat.row}-${seat.col}`;
const seatList = (seats: Seat[]) => seats.map(seatKey).sort().join(' ');

/**
 * Every 201 hold against the database: the order exists, belongs to the client that was told it,
 * on that showtime, with those seats, and no two clients were told the same id; every 200 payment
 * answered that order, paid, with the ticket code the database holds.
 */
export async function holdsNotAsAnswered(db: DataSource, sales: ClusterSale[]): Promise<string[]> {
  const rows = new Map(
    (await db.getRepository(Order).findBy({ id: In(sales.map((s) => s.orderId)) })).map((o) => [o.id, o]),
  );
  const problems: string[] = [];
  const toldTo = new Map<number, number[]>();
  for (const sale of sales) {
    toldTo.set(sale.orderId, [...(toldTo.get(sale.orderId) ?? []), sale.client]);
    const told =
      `order ${sale.orderId} answered to client ${sale.client} (user ${sale.userId}) by instance ` +
      `${sale.instance + 1} for showtime ${sale.scheduleId}, seats ${seatList(sale.seats)}`;
    const row = rows.get(sale.orderId);
    if (!row) {
      problems.push(`${told}: no such order in the database`);
      continue;
    }
    if (
      row.userId !== sale.userId ||
      row.scheduleId !== sale.scheduleId ||
      seatList(row.seats) !== seatList(sale.seats)
    ) {
      problems.push(
        `${told}: the database holds user ${row.userId}, showtime ${row.scheduleId}, seats ${seatList(row.seats)}`,
      );
    }
    const paid = sale.paid;
    if (!paid) continue;
    if (paid.id !== sale.orderId || paid.status !== 'paid' || seatList(paid.seats) !== seatList(sale.seats)) {
      problems.push(`${told}: its payment answered ${JSON.stringify(paid)}`);
    }
    if (row.status !== 'paid' || row.ticketCode !== paid.ticketCode) {
      problems.push(`${told}: paid with ticket ${paid.ticketCode}, the database holds ${row.status} ${row.ticketCode}`);
    }
  }
  for (const [orderId, clients] of toldTo) {
    if (clients.length > 1) problems.push(`order ${orderId} was answered to clients ${clients.join(', ')}`);
  }
  return problems;
}

/** Each instance's seat map against the paid orders in the database: sold exactly where one is paid. */
export async function seatMapsDisagreeing(
  instances: TestAgent[],
  db: DataSource,
  scheduleIds: number[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const scheduleId of scheduleIds) {
    const paid = await db.getRepository(Order).findBy({ scheduleId, status: 'paid' });
    const sold = new Set(paid.flatMap((o) => o.seats.map(seatKey)));
    for (const [i, http] of instances.entries()) {
      const res = await http.get(`${API}/schedules/${scheduleId}/seats`);
      const where = `seat map of showtime ${scheduleId} on instance ${i + 1}`;
      if (res.status !== 200) {
        problems.push(`${where}: ${res.status} ${JSON.stringify(res.body)}`);
        continue;
      }
      const wrong = (res.body.data.seats as SeatState[]).filter(
        (s) => s.status !== (sold.has(seatKey(s)) ? 'sold' : 'available'),
      );
      if (wrong.length) {
        const sample = wrong
          .slice(0, 5)
          .map((s) => `${seatKey(s)} ${s.status}, ${sold.has(seatKey(s)) ? '' : 'not '}paid`);
        problems.push(`${where}: ${wrong.length} seats differ from the paid orders (${sample.join('; ')})`);
      }
    }
  }
  return problems;
}

/** Each showtime's soldCount, in the database and through each instance, against its paid seats. */
export async function soldCountsDisagreeing(
  instances: TestAgent[],
  db: DataSource,
  scheduleIds: number[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const scheduleId of scheduleIds) {
    const paid = await db.getRepository(Order).findBy({ scheduleId, status: 'paid' });
    const paidSeats = paid.reduce((sum, o) => sum + o.seats.length, 0);
    const { soldCount } = await db.getRepository(Schedule).findOneByOrFail({ id: scheduleId });
    if (soldCount !== paidSeats) {
      problems.push(`showtime ${scheduleId}: sold_count ${soldCount} in the database, ${paidSeats} seats paid`);
    }
    for (const [i, http] of instances.entries()) {
      const res = await http.get(`${API}/schedules/${scheduleId}`);
      if (res.status !== 200 || res.body.data.soldCount !== paidSeats) {
        problems.push(
          `showtime ${scheduleId} on instance ${i + 1}: ${paidSeats} seats paid, answered ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
    }
  }
  return problems;
}

/** Waits (at most `limitMs`) until the sweep has written off every lapsed hold of these showtimes. */
export async function untilNoPendingOrders(db: DataSource, scheduleIds: number[], limitMs: number): Promise<void> {
  const pending = () => db.getRepository(Order).countBy({ scheduleId: In(scheduleIds), status: 'pending' });
  for (const deadline = Date.now() + limitMs; Date.now() < deadline && (await pending()) > 0;) await sleep(250);
}

/** expectConsistentSellOut for each showtime, its failures as lines instead of a throw at the first. */
export async function inconsistentSellOuts(db: DataSource, showtimes: GivenShowtime[]): Promise<string[]> {
  const problems: string[] = [];
  for (const showtime of showtimes) {
    try {
      await expectConsistentSellOut(db, showtime);
    } catch (error) {
      problems.push(`showtime ${showtime.schedule.id}: ${(error as Error).message}`);
    }
  }
  return problems;
}
