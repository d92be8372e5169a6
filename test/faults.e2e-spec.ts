import { connect, Socket } from 'node:net';
import { DataSource, In } from 'typeorm';
import { Schedule } from '../src/schedules/entities/schedule.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { SeatClaim } from '../src/ticketing/entities/seat-claim.entity';
import { AppProcess, ProcessExit, startAppProcesses, stopAppProcesses } from './support/app-process';
import { givenShowtime, givenUser } from './support/factories';
import { HealthProbes } from './support/health-probes';
import { PrivateMariaDb } from './support/private-mariadb';
import { describeRequest, isNormalAnswer, Rush, RushRequest } from './support/rush';
import { bootTestApp, TestApp } from './support/test-app';
import { API, hold, pay, Seat, sleep } from './support/ticketing';

const HOLD_SECONDS = 2;
/** Every answer during a fault must come within this, whatever it says. */
const ANSWER_BOUND_MS = 6000;
const IS_MYSQL = process.env.TEST_DB_KIND === 'mysql';

/**
 * Issue 12, faults and graceful shutdown, against real `node dist/main.js` processes. On MySQL the
 * whole file runs on a MariaDB server of its own (started, stopped and restarted here), never on the
 * machine's shared one. The in-process app only seeds data (its sweep is off: the sweeping is the
 * spawned instances' job).
 */
describe('Faults and graceful shutdown', () => {
  let t: TestApp;
  let mariadb: PrivateMariaDb | undefined;
  let appEnv: Record<string, string>;
  const spawned: AppProcess[] = [];

  beforeAll(async () => {
    const overrides: Record<string, string> = { ORDER_HOLD_SECONDS: String(HOLD_SECONDS), SWEEP_SECONDS: '3600' };
    if (IS_MYSQL) {
      mariadb = await PrivateMariaDb.create();
      overrides.DATABASE_URL = await mariadb.createMigratedDatabase('ttms_faults');
    }
    t = await bootTestApp(overrides);
    appEnv = {
      JWT_SECRET: process.env.JWT_SECRET as string,
      ORDER_HOLD_SECONDS: String(HOLD_SECONDS),
      SWEEP_SECONDS: '1',
      ...(IS_MYSQL
        ? { DATABASE_URL: process.env.DATABASE_URL as string }
        : { DATABASE_PATH: process.env.DATABASE_PATH as string }),
    };
  }, 90_000);

  afterAll(async () => {
    await stopAppProcesses(spawned);
    await t?.close();
    await mariadb?.destroy();
  }, 60_000);

  const spawn = async (count: number) => {
    const apps = await startAppProcesses(count, appEnv);
    spawned.push(...apps);
    return apps;
  };
  const users = (n: number) => Promise.all(Array.from({ length: n }, () => givenUser(t)));

  it('should finish the requests in flight on SIGTERM, end live seat streams, close the pool and exit 0', async () => {
    const [app] = await spawn(1);
    const { schedule } = await givenShowtime(t, { hall: { rows: 4, cols: 5 } });
    const customers = await users(20);
    const stream = openStream(app.port, `${API}/schedules/${schedule.id}/seats/stream`);
    await stream.snapshot;
    // Twenty holds whose bodies stop short of their last bytes: the server has them, mid-request.
    const inFlight = customers.map((customer, i) =>
      slowPost(app.port, `${API}/orders`, customer.token, {
        scheduleId: schedule.id,
        seats: [{ row: 1 + Math.floor(i / 5), col: 1 + (i % 5) }],
      }),
    );
    await Promise.all(inFlight.map((request) => request.sent));
    await sleep(300);
    const abortedBefore = await mariadb?.status('Aborted_clients');

    const signalledAt = Date.now();
    app.signal('SIGTERM');
    await expect(within(stream.closed, 2000)).resolves.toBe(true);
    await sleep(300);
    expect(app.running()).toBe(true);
    await expect(fetch(`${app.url}${API}/health/live`)).rejects.toThrow();

    inFlight.forEach((request) => request.finish());
    const answers = await Promise.all(inFlight.map((request) => request.answer));
    expect(answers.map((a) => [a.status, a.body?.code, a.body?.data?.status])).toEqual(
      customers.map(() => [201, 1000, 'pending']),
    );
    await expect(within(app.exited, 5000)).resolves.toEqual({ code: 0, signal: null } satisfies ProcessExit);
    expect(Date.now() - signalledAt).toBeLessThan(6000);
    expect(await t.db.getRepository(Order).countBy({ scheduleId: schedule.id, status: 'pending' })).toBe(20);
    // Connections the server saw die without a goodbye; a closed pool says goodbye on each.
    if (mariadb) expect(await mariadb.status('Aborted_clients')).toBe(abortedBefore);
  }, 120_000);

  if (IS_MYSQL) {
    describe('two app processes on the private MariaDB under a rush', () => {
      let apps: AppProcess[] = [];

      beforeAll(async () => {
        apps = await spawn(2);
      }, 120_000);

      it('should answer 503/5000 quickly while MariaDB is down for 10 s, recover by itself and lose no sale', async () => {
        const db = mariadb as PrivateMariaDb;
        const showtimes = [
          await givenShowtime(t, { hall: { rows: 8, cols: 10 } }),
          await givenShowtime(t, { hall: { rows: 8, cols: 10 } }),
        ];
        const scheduleIds = showtimes.map((s) => s.schedule.id);
        const origin = Date.now();
        const rush = new Rush({
          agents: apps.map((app) => app.http),
          customers: await users(24),
          scheduleIds,
          thinkMs: [100, 300],
          timeLimitMs: 60_000,
        });
        const health = new HealthProbes(apps);
        try {
          await sleep(3000);
          const outageFrom = Date.now();
          await db.stop();
          const stoppedAt = Date.now();
          await sleep(10_000);
          const restartAt = Date.now();
          await db.start();
          const recoveredAt = await health.untilAllUp(restartAt, 15_000);
          await sleep(3000);
          await rush.stop();
          await health.stop();

          for (const [i, app] of apps.entries()) {
            expect(app.running()).toBe(true);
            const during = health.answers.filter((a) => a.app === i && a.start >= stoppedAt && a.end <= restartAt);
            expect(during.length).toBeGreaterThan(10);
            expect(during.filter((a) => !a.down || a.ms > 3000)).toEqual([]);
          }
          expect(recoveredAt - restartAt).toBeLessThan(10_000);

          const slow = rush.requests.filter((r) => r.end - r.start >= ANSWER_BOUND_MS || r.status === 0);
          expect(slow.map((r) => describeRequest(r, origin))).toEqual([]);
          const duringFault = (r: RushRequest) => r.end >= outageFrom && r.start <= recoveredAt + 1000;
          const wrong = rush.requests.filter(
            (r) => !isNormalAnswer(r) && !(r.status === 500 && r.code === 5000 && duringFault(r)),
          );
          expect(wrong.map((r) => describeRequest(r, origin))).toEqual([]);
          const refused = rush.requests.filter((r) => r.code === 5000 && r.start >= stoppedAt && r.end <= restartAt);
          expect(refused.length).toBeGreaterThan(10);
          const afterwards = rush.requests.filter((r) => r.start > recoveredAt + 1000 && r.status < 300);
          expect(afterwards.filter((r) => r.action === 'pay').length).toBeGreaterThan(0);

          await settle(t.db, scheduleIds);
          for (const id of scheduleIds) await expectNoSeatSoldTwice(t.db, id);
          await expectOrdersAsTold(t.db, rush);
        } finally {
          await rush.stop();
          await health.stop();
          await db.start();
        }
      }, 90_000);

      it('should let the holds of a kill -9ed instance lapse and sell their seats again', async () => {
        const [doomed, survivor] = apps;
        const showtimes = [
          await givenShowtime(t, { hall: { rows: 8, cols: 10 } }),
          await givenShowtime(t, { hall: { rows: 8, cols: 10 } }),
        ];
        const victimShowtime = await givenShowtime(t, { hall: { rows: 3, cols: 3 } });
        const [victim, buyer] = await users(2);
        const scheduleIds = showtimes.map((s) => s.schedule.id);
        const origin = Date.now();
        const rush = new Rush({
          agents: [doomed.http, survivor.http],
          customers: await users(16),
          scheduleIds,
          thinkMs: [100, 300],
          timeLimitMs: 60_000,
        });
        try {
          await sleep(2500);
          const seats: Seat[] = [
            { row: 2, col: 2 },
            { row: 2, col: 3 },
          ];
          const held = await hold(doomed.http, victim, victimShowtime.schedule.id, seats).expect(201);
          doomed.signal('SIGKILL');
          const killedAt = Date.now();
          await expect(within(doomed.exited, 5000)).resolves.toEqual({ code: null, signal: 'SIGKILL' });
          // The hold outlives its process until expiresAt...
          const early = await hold(survivor.http, buyer, victimShowtime.schedule.id, seats);
          if (Date.now() < Date.parse(held.body.data.expiresAt) - 200) expect(early.body.code).toBe(2003);
          await sleep(2500);
          await rush.stop();

          // ...then the survivor's sweep writes it off and the seats are for sale again.
          await settle(t.db, [...scheduleIds, victimShowtime.schedule.id]);
          const victimOrder = await t.db.getRepository(Order).findOneByOrFail({ id: held.body.data.id });
          expect(victimOrder.status).toBe('expired');
          expect(await t.db.getRepository(SeatClaim).countBy({ orderId: victimOrder.id })).toBe(0);
          const map = await survivor.http.get(`${API}/schedules/${victimShowtime.schedule.id}/seats`).expect(200);
          expect(map.body.data.seats.filter((s: Seat & { status: string }) => s.status !== 'available')).toEqual([]);
          const rebought = await hold(survivor.http, buyer, victimShowtime.schedule.id, seats).expect(201);
          await pay(survivor.http, buyer, rebought.body.data.id).expect(200);

          // The rush's own holds on the dead instance went the same way.
          const unpaid = [...rush.orders.values()].filter((o) => o.agent === 0 && !o.paid && !o.cancelled);
          expect(unpaid.filter((o) => !o.uncertain).length).toBeGreaterThan(0);
          const states = await t.db.getRepository(Order).findBy({ id: In(unpaid.map((o) => o.id)) });
          // A payment or cancel cut off by the kill may have committed; every other unpaid hold has lapsed.
          const uncertain = new Set(unpaid.filter((o) => o.uncertain).map((o) => o.id));
          expect(states.filter((o) => o.status !== 'expired' && !uncertain.has(o.id))).toEqual([]);
          // Only requests to the dead instance may go unanswered, and only from the kill on.
          const wrong = rush.requests.filter(
            (r) => !isNormalAnswer(r) && !(r.status === 0 && r.agent === 0 && r.end >= killedAt),
          );
          expect(wrong.map((r) => describeRequest(r, origin))).toEqual([]);
          for (const id of scheduleIds) await expectNoSeatSoldTwice(t.db, id);
          await expectOrdersAsTold(t.db, rush);
        } finally {
          await rush.stop();
        }
      }, 60_000);
    });
  }
});

/** Answers whether `promise` settled within `ms` (its value if it did, false otherwise). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Waits (bounded) until the sweep has written off every lapsed hold of these showtimes. */
async function settle(db: DataSource, scheduleIds: number[]): Promise<void> {
  const deadline = Date.now() + HOLD_SECONDS * 1000 + 10_000;
  while (Date.now() < deadline) {
    if (!(await db.getRepository(Order).countBy({ scheduleId: In(scheduleIds), status: 'pending' }))) return;
    await sleep(250);
  }
  throw new Error(`pending orders left on showtimes ${scheduleIds.join(', ')} after the sweep`);
}

/** No seat sold twice, the counter equal to the paid seats, and every paid order still holding all its seats. */
async function expectNoSeatSoldTwice(db: DataSource, scheduleId: number): Promise<void> {
  const orders = await db.getRepository(Order).findBy({ scheduleId });
  const claims = await db.getRepository(SeatClaim).findBy({ scheduleId });
  const schedule = await db.getRepository(Schedule).findOneByOrFail({ id: scheduleId });
  const paid = orders.filter((o) => o.status === 'paid');
  const sold = paid.flatMap((o) => o.seats.map((s) => `${o.id}:${s.row}-${s.col}`)).sort();
  const soldSeats = sold.map((s) => s.split(':')[1]);
  expect(paid.length).toBeGreaterThan(0);
  expect(new Set(soldSeats).size).toBe(soldSeats.length);
  expect(schedule.soldCount).toBe(soldSeats.length);
  expect(claims.map((c) => `${c.orderId}:${c.seatRow}-${c.seatCol}`).sort()).toEqual(sold);
  expect(claims.filter((c) => c.expiresAt !== null)).toEqual([]);
}

/**
 * Whatever a client was told succeeded (paid, refunded, cancelled) is what the database holds; an
 * order with a later request cut off (its refund may or may not have committed) is left out.
 */
async function expectOrdersAsTold(db: DataSource, rush: Rush): Promise<void> {
  const told = [...rush.orders.values()].filter((o) => (o.paid || o.cancelled) && !o.uncertain);
  const rows = new Map(
    (await db.getRepository(Order).findBy({ id: In(told.map((o) => o.id)) })).map((o) => [o.id, o.status]),
  );
  const expected = told.map((o) => [o.id, o.refunded ? 'refunded' : o.paid ? 'paid' : 'cancelled']);
  expect(told.map((o) => [o.id, rows.get(o.id)])).toEqual(expected);
}

/** A live seat-map stream over a raw socket: resolves `snapshot` on its first event, `closed` when the server ends it. */
function openStream(port: number, path: string): { snapshot: Promise<void>; closed: Promise<boolean> } {
  const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
  let text = '';
  const snapshot = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('event: snapshot')) resolve();
    });
  });
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  socket.on('error', () => undefined);
  return { snapshot, closed };
}

interface RawAnswer {
  status: number;
  body: { code?: number; data?: { status?: string } } | undefined;
}

/**
 * A POST whose headers and body, but for its last bytes, are on the wire at once: the request is in
 * the server's hands until `finish()` sends the rest.
 */
function slowPost(
  port: number,
  path: string,
  token: string,
  payload: unknown,
): { sent: Promise<void>; finish: () => void; answer: Promise<RawAnswer> } {
  const body = Buffer.from(JSON.stringify(payload));
  const head =
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  const socket: Socket = connect(port, '127.0.0.1');
  const sent = new Promise<void>((resolve) => {
    socket.once('connect', () =>
      socket.write(Buffer.concat([Buffer.from(head), body.subarray(0, -3)]), () => resolve()),
    );
  });
  let raw = '';
  socket.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  socket.on('error', () => undefined);
  const answer = new Promise<RawAnswer>((resolve) => {
    socket.once('close', () => {
      const [head = '', text = ''] = raw.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      let parsed: RawAnswer['body'];
      try {
        parsed = JSON.parse(text) as RawAnswer['body'];
      } catch {
        parsed = undefined;
      }
      resolve({ status, body: parsed });
    });
  });
  return { sent, finish: () => socket.write(body.subarray(-3)), answer };
}
