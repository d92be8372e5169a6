import type { Response, Test } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { GivenUser } from './factories';
import { API, Seat, sleep } from './ticketing';

/** No request may take longer than this; past it the client gives up and records a hang. */
const REQUEST_TIMEOUT_MS = 10_000;

export type RushAction = 'seats' | 'hold' | 'pay' | 'cancel' | 'refund';

/** One request as the client saw it: when it was sent and answered, and what came back (status 0: no answer). */
export interface RushRequest {
  client: number;
  agent: number;
  action: RushAction;
  start: number;
  end: number;
  status: number;
  code?: number;
  error?: string;
  orderId?: number;
  /** The order's hold deadline (ms), for pay and cancel: 2006 is right only once it has passed. */
  expiresAt?: number;
}

/** An order a client held, and what the client was told happened to it. */
export interface RushOrder {
  id: number;
  agent: number;
  scheduleId: number;
  seats: Seat[];
  expiresAt: number;
  paid: boolean;
  cancelled: boolean;
  refunded: boolean;
  /** A request about it went unanswered or failed with 5000: the database may hold either outcome. */
  uncertain: boolean;
}

export interface RushOptions {
  /** HTTP targets; client i starts on agents[i % agents.length] and moves to the next one when it gets no answer. */
  agents: TestAgent[];
  customers: GivenUser[];
  scheduleIds: number[];
  /** Pause between a client's rounds (ms, uniform in [min, max]): keeps the rate modest. */
  thinkMs: [number, number];
  timeLimitMs: number;
}

/**
 * A lighter, fault-tolerant cousin of sell-out.ts: clients read a seat map, hold one or two free
 * seats, then mostly pay, sometimes cancel or walk away; at their 6-seat limit they refund one.
 * It runs until `stop()` (or its time limit) and records every request, so that the test can judge
 * each answer against what was happening at that moment (a database outage, a dead instance).
 */
export class Rush {
  readonly requests: RushRequest[] = [];
  readonly orders = new Map<number, RushOrder>();
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(private readonly options: RushOptions) {
    const stopAt = Date.now() + options.timeLimitMs;
    this.done = Promise.all(options.customers.map((_, i) => this.client(i, stopAt))).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async client(index: number, stopAt: number): Promise<void> {
    const { agents, scheduleIds, thinkMs } = this.options;
    const user = this.options.customers[index];
    const mine: RushOrder[] = [];
    let agent = index % agents.length;
    while (!this.stopped && Date.now() < stopAt) {
      await sleep(thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]));
      const scheduleId = scheduleIds[Math.floor(Math.random() * scheduleIds.length)];
      const send = async (action: RushAction, req: () => Test, order?: RushOrder) => {
        const res = await this.send(index, agent, action, req, order);
        if (res.status === 0) agent = (agent + 1) % agents.length;
        return res;
      };
      const http = agents[agent];
      const map = await send('seats', () => http.get(`${API}/schedules/${scheduleId}/seats`));
      if (map.status !== 200) continue;
      const free = (map.body.data.seats as (Seat & { status: string })[]).filter((s) => s.status === 'available');
      if (!free.length) continue;
      const seats = pick(free, 1 + Math.floor(Math.random() * 2)).map(({ row, col }) => ({ row, col }));
      const held = await send('hold', () => http.post(`${API}/orders`).set(user.auth).send({ scheduleId, seats }));
      if (held.status === 409 && held.body.code === 2004) {
        const oldest = mine.find((o) => o.scheduleId === scheduleId && o.paid && !o.refunded && !o.uncertain);
        if (!oldest) continue;
        const refund = await send(
          'refund',
          () => http.post(`${API}/orders/${oldest.id}/refund`).set(user.auth),
          oldest,
        );
        if (refund.status === 200) oldest.refunded = true;
        continue;
      }
      if (held.status !== 201) continue;
      const order: RushOrder = {
        id: held.body.data.id,
        agent,
        scheduleId,
        seats,
        expiresAt: Date.parse(held.body.data.expiresAt),
        paid: false,
        cancelled: false,
        refunded: false,
        uncertain: false,
      };
      this.orders.set(order.id, order);
      mine.push(order);
      const roll = Math.random();
      if (roll < 0.65) {
        const paid = await send(
          'pay',
          () => http.post(`${API}/orders/${order.id}/pay`).set(user.auth).send({ channel: 'mock' }),
          order,
        );
        order.paid = paid.status === 200;
      } else if (roll < 0.75) {
        const cancelled = await send(
          'cancel',
          () => http.post(`${API}/orders/${order.id}/cancel`).set(user.auth),
          order,
        );
        order.cancelled = cancelled.status === 200;
      }
      // Otherwise the client walks away: the hold must lapse by itself.
    }
  }

  /** Sends one request; a refused connection or a timeout is recorded as status 0, never thrown. */
  private async send(
    client: number,
    agent: number,
    action: RushAction,
    req: () => Test,
    order?: RushOrder,
  ): Promise<Response> {
    const start = Date.now();
    const entry: RushRequest = { client, agent, action, start, end: start, status: 0, orderId: order?.id };
    if (order) entry.expiresAt = order.expiresAt;
    this.requests.push(entry);
    try {
      const res = await req().timeout(REQUEST_TIMEOUT_MS);
      Object.assign(entry, { end: Date.now(), status: res.status, code: (res.body as { code?: number })?.code });
      if (order && res.status >= 500) order.uncertain = true;
      return res;
    } catch (error) {
      Object.assign(entry, { end: Date.now(), error: (error as Error).message });
      if (order) order.uncertain = true;
      return { status: 0, body: {} } as Response;
    }
  }
}

/**
 * Whether an answer is one the contract allows outside any fault: each action's business outcomes,
 * and a refused payment or cancel only once the hold had lapsed.
 */
export function isNormalAnswer(r: RushRequest): boolean {
  const lapsed = r.expiresAt !== undefined && r.end >= r.expiresAt;
  switch (r.action) {
    case 'seats':
      return r.status === 200 && r.code === 1000;
    case 'hold':
      return (r.status === 201 && r.code === 1000) || (r.status === 409 && (r.code === 2003 || r.code === 2004));
    case 'pay':
    case 'cancel':
      return (r.status === 200 && r.code === 1000) || (r.status === 409 && r.code === 2006 && lapsed);
    case 'refund':
      return r.status === 200 && r.code === 1000;
  }
}

/** One line per request for failure messages; times in ms after `origin`. */
export const describeRequest = (r: RushRequest, origin: number) =>
  `${r.action} via app ${r.agent} at +${r.start - origin} ms, ${r.end - r.start} ms: ${r.status} ${r.code ?? r.error ?? ''}`;

/** `count` of `items` at random (all of them, shuffled, when there are fewer). */
export function pick<T>(items: T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}
