import { isDeepStrictEqual } from 'node:util';
import type { Response } from 'supertest';
import { In } from 'typeorm';
import { Order } from '../../src/ticketing/entities/order.entity';
import { givenShowtime, givenUser } from '../support/factories';
import { AppProcess, stopAppProcesses } from '../support/app-process';
import { openSse, SseEvent } from '../support/sse';
import { bootTestApp, TestApp, unique } from '../support/test-app';
import { API, buyTickets, claimsOf, hold, orderRow, pay, Seat, soldCountOf } from '../support/ticketing';
import { answerOf, logsOf, outcomeOf, startNodeApps } from './galera-apps';

/** Within this of the answer to the request that made a change, every instance's streams carry it. */
const EVENT_WITHIN_MS = 1000;

/**
 * CONTRACT 15: the races of CONTRACT 7, 10 and 11, each racer going through a different app
 * instance, each instance on its own node of a MariaDB Galera Cluster, where a row lock taken on
 * one node does not stop a writer on another and the loser of a conflict learns it at commit.
 * Races repeat for a few rounds; each test collects every round and asserts them together, so that a
 * failure shows all rounds' answers.
 */
describe('Races through the three instances of a Galera Cluster (CONTRACT 15)', () => {
  let t: TestApp;
  let apps: AppProcess[] = [];
  /** Instances that answered a 5xx in the current test: their logs are printed after it. */
  const failing = new Set<number>();

  beforeAll(async () => {
    t = await bootTestApp();
    apps = await startNodeApps();
  }, 240_000);

  afterEach(() => {
    if (failing.size) console.log(logsOf(apps, failing));
    failing.clear();
  });

  afterAll(async () => {
    await stopAppProcesses(apps);
    await t?.close();
  }, 60_000);

  const users = (n: number) => Promise.all(Array.from({ length: n }, () => givenUser(t)));
  /** The agent of instance i (mod 3): racers i and i + 3 go through the same node. */
  const via = (i: number) => apps[i % apps.length].http;
  const cancel = (i: number, user: { auth: { Authorization: string } }, orderId: number) =>
    via(i).post(`${API}/orders/${orderId}/cancel`).set(user.auth);
  /** answerOf, remembering an instance that answered a 5xx so that its log is printed after the test. */
  const shown = (res: Response, instance: number) => {
    if (res.status >= 500) failing.add(instance);
    return answerOf(res, instance);
  };
  /** Each answer outside `allowed` (status/code), with its instance and body. */
  const outside = (answers: Response[], allowed: string[], instanceOf = (i: number) => i % apps.length) =>
    answers.flatMap((res, i) => (allowed.includes(outcomeOf(res)) ? [] : [shown(res, instanceOf(i))]));

  it('should let exactly one of nine clients, three per instance, hold the last seat; the others get 2003', async () => {
    const rounds = [];
    for (let round = 0; round < 4; round++) {
      const { schedule } = await givenShowtime(t, { hall: { rows: 2, cols: 2 } });
      const [owner, ...racers] = await users(10);
      await buyTickets(via(round), owner, schedule.id, [
        { row: 1, col: 1 },
        { row: 1, col: 2 },
        { row: 2, col: 1 },
      ]);
      const last = { row: 2, col: 2 };
      const answers = await Promise.all(racers.map((racer, i) => hold(via(i), racer, schedule.id, [last])));
      const winner = answers.findIndex((res) => res.status === 201);
      const claims = await claimsOf(t.db, { scheduleId: schedule.id, seatRow: last.row, seatCol: last.col });
      const orders = await t.db
        .getRepository(Order)
        .findBy({ scheduleId: schedule.id, userId: In(racers.map((r) => r.user.id)) });
      rounds.push({
        outcomes: answers.map(outcomeOf).sort(),
        unexpected: outside(answers, ['201/1000', '409/2003']),
        // The winner's order holds the seat, is the winner's, and is the only order of the race.
        winnerHoldsTheSeat:
          winner >= 0 &&
          orders.length === 1 &&
          orders[0].id === answers[winner].body.data.id &&
          orders[0].userId === racers[winner].user.id &&
          claims.length === 1 &&
          claims[0].orderId === orders[0].id,
      });
    }
    const expected = { outcomes: ['201/1000', ...Array<string>(8).fill('409/2003')], unexpected: [] };
    expect(rounds).toEqual(rounds.map(() => ({ ...expected, winnerHoldsTheSeat: true })));
  });

  it('should refuse one of two racing 4-seat holds of one user through different instances with 2004', async () => {
    const pairs = [
      [0, 1],
      [1, 2],
      [2, 0],
      [0, 2],
      [1, 0],
      [2, 1],
    ];
    const rounds = [];
    for (const [a, b] of pairs) {
      const { schedule } = await givenShowtime(t);
      const [user] = await users(1);
      const row = (r: number) => [1, 2, 3, 4].map((col) => ({ row: r, col }));
      const answers = await Promise.all([
        hold(via(a), user, schedule.id, row(1)),
        hold(via(b), user, schedule.id, row(2)),
      ]);
      const claims = await claimsOf(t.db, { scheduleId: schedule.id, userId: user.user.id });
      const orders = await t.db.getRepository(Order).countBy({ scheduleId: schedule.id, userId: user.user.id });
      rounds.push({
        instances: `${a + 1} and ${b + 1}`,
        outcomes: answers.map(outcomeOf).sort(),
        unexpected: outside(answers, ['201/1000', '409/2004'], (i) => [a, b][i]),
        heldSeats: claims.length,
        orders,
      });
    }
    expect(rounds).toEqual(
      rounds.map(({ instances }) => ({
        instances,
        outcomes: ['201/1000', '409/2004'],
        unexpected: [],
        heldSeats: 4,
        orders: 1,
      })),
    );
  });

  it('should let either the payment or the cancel of one order win when they race through different instances', async () => {
    const { schedule } = await givenShowtime(t);
    const [user] = await users(1);
    const rounds: string[] = [];
    for (let round = 0; round < 6; round++) {
      const held = await hold(via(round), user, schedule.id, [{ row: 1, col: round + 1 }]);
      if (held.status !== 201) {
        rounds.push(`hold ${shown(held, round % 3)}`);
        continue;
      }
      const id = held.body.data.id as number;
      const [paid, cancelled] = await Promise.all([pay(via(round + 1), user, id), cancel(round + 2, user, id)]);
      const row = await orderRow(t.db, id);
      const claims = (await claimsOf(t.db, { orderId: id })).map((c) => (c.expiresAt === null ? 'sold' : 'held'));
      rounds.push(
        `pay ${shown(paid, (round + 1) % 3)}; cancel ${shown(cancelled, (round + 2) % 3)}; ` +
          `database: ${row.status} [${claims.join(', ')}]`,
      );
    }
    // Either the payment won (the cancel answers 2006, the seat is sold) or the cancel did.
    const consistent = (line: string) =>
      /^pay instance \d: 200 .*; cancel instance \d: 409 \{"code":2006.*database: paid \[sold\]$/.test(line) ||
      /^pay instance \d: 409 \{"code":2006.*; cancel instance \d: 200 .*database: cancelled \[\]$/.test(line);
    expect(rounds.filter((line) => !consistent(line))).toEqual([]);
    const paidSeats = await t.db.getRepository(Order).countBy({ scheduleId: schedule.id, status: 'paid' });
    expect(await soldCountOf(t.db, schedule.id)).toBe(paidSeats);
  });

  it('should sell once when one order is paid through the three instances at once, each answering the paid order', async () => {
    const rounds = [];
    for (let round = 0; round < 3; round++) {
      const { schedule } = await givenShowtime(t);
      const [user] = await users(1);
      const seats = [
        { row: 2, col: 3 },
        { row: 2, col: 4 },
      ];
      const held = await hold(via(round), user, schedule.id, seats);
      expect(shown(held, round % 3)).toMatch(/^instance \d: 201 /);
      const id = held.body.data.id as number;
      const answers = await Promise.all(apps.map((_, i) => pay(via(i), user, id)));
      const row = await orderRow(t.db, id);
      const claims = await claimsOf(t.db, { orderId: id });
      rounds.push({
        id,
        unexpected: outside(answers, ['200/1000']),
        answered: answers.map((res) => [res.body.data?.id, res.body.data?.status, res.body.data?.ticketCode]),
        database: [row.status, row.ticketCode, claims.filter((c) => c.expiresAt === null).length],
        soldCount: await soldCountOf(t.db, schedule.id),
      });
    }
    // Every answer is the paid order with the ticket code the database holds; two seats sold, once.
    expect(rounds).toEqual(
      rounds.map(({ id, database }) => ({
        id,
        unexpected: [],
        answered: apps.map(() => [id, 'paid', database[1]]),
        database: ['paid', expect.stringMatching(/^\d{16}$/), 2],
        soldCount: 2,
      })),
    );
  });

  it('should check one ticket in once when it is scanned through the three instances at once', async () => {
    const rounds = [];
    for (let round = 0; round < 3; round++) {
      const { schedule, merchant } = await givenShowtime(t);
      const [user] = await users(1);
      const paid = await buyTickets(via(round), user, schedule.id, [{ row: 3, col: 3 }]);
      const answers = await Promise.all(
        apps.map((_, i) =>
          via(i).post(`${API}/tickets/check-in`).set(merchant.auth).send({ ticketCode: paid.ticketCode }),
        ),
      );
      const row = await orderRow(t.db, paid.id);
      const scanned = answers.find((res) => res.status === 200);
      rounds.push({
        outcomes: answers.map(outcomeOf).sort(),
        unexpected: outside(answers, ['200/1000', '409/2008']),
        checkedInAsAnswered: !!scanned && row.checkedInAt?.toISOString() === scanned.body.data.checkedInAt,
      });
    }
    expect(rounds).toEqual(
      rounds.map(() => ({
        outcomes: ['200/1000', '409/2008', '409/2008'],
        unexpected: [],
        checkedInAsAnswered: true,
      })),
    );
  });

  it('should make one order of one Idempotency-Key sent nine times through the three instances at once, and replay it after', async () => {
    const rounds = [];
    for (let round = 0; round < 8; round++) {
      const { schedule } = await givenShowtime(t);
      const [buyer] = await users(1);
      const key = unique('galera-');
      const body = { scheduleId: schedule.id, seats: [{ row: 4, col: 1 }] };
      const send = (i: number) => via(i).post(`${API}/orders`).set(buyer.auth).set('Idempotency-Key', key).send(body);
      const racing = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7, 8].map(send));
      const orders = await t.db.getRepository(Order).findBy({ userId: buyer.user.id });
      const first = racing.find((res) => res.status === 201 && !res.headers['idempotent-replayed']);
      const later = [];
      for (const i of apps.keys()) later.push(await send(i));
      rounds.push({
        orders: orders.length,
        // Each racer answers that order (201) or 2010 while the first request runs.
        racing: racing.flatMap((res, i) =>
          (res.status === 201 && res.body.data?.id === orders[0]?.id) ||
          (res.status === 409 && res.body.code === 2010 && res.body.data === null)
            ? []
            : [shown(res, i % 3)],
        ),
        worked: !!first,
        replays: later.flatMap((res, i) =>
          res.status === 201 &&
          res.headers['idempotent-replayed'] === 'true' &&
          isDeepStrictEqual(res.body, first?.body)
            ? []
            : [`${shown(res, i)} replayed: ${res.headers['idempotent-replayed']}`],
        ),
      });
    }
    expect(rounds).toEqual(rounds.map(() => ({ orders: 1, racing: [], worked: true, replays: [] })));
  });

  it('should stream a hold and a payment made through other instances to a client of each instance', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 2, cols: 5 } });
    const [buyer] = await users(1);
    const streams = await Promise.all(
      apps.map((app) => openSse(`${app.url}${API}/schedules/${schedule.id}/seats/stream`)),
    );
    try {
      const snapshots = await Promise.all(streams.map((stream) => stream.waitFor((e) => e.event === 'snapshot')));
      const seat = { row: 1, col: 3 };
      // Held through instance 2, paid through instance 3: each stream sees at least one of them from another.
      const held = await hold(apps[1].http, buyer, schedule.id, [seat]);
      const heldAt = Date.now();
      expect(shown(held, 1)).toMatch(/^instance 2: 201 /);
      const heldEvents = await Promise.all(streams.map((s) => s.waitFor(showing(seat, 'held')).catch(() => undefined)));
      const paid = await pay(apps[2].http, buyer, held.body.data.id);
      const paidAt = Date.now();
      expect(shown(paid, 2)).toMatch(/^instance 3: 200 /);
      const soldEvents = await Promise.all(streams.map((s) => s.waitFor(showing(seat, 'sold')).catch(() => undefined)));
      const delay = (event: SseEvent | undefined, since: number) =>
        !event ? 'no event in 5 s' : event.at - since <= EVENT_WITHIN_MS ? 'in time' : `${event.at - since} ms late`;
      const versions = streams.map((s, i) =>
        s.events.filter((e) => e.event === 'seats').every((e) => e.data.version > snapshots[i].data.version),
      );
      const maps = await Promise.all(apps.map((app) => app.http.get(`${API}/schedules/${schedule.id}/seats`)));
      expect({
        held: heldEvents.map((e) => delay(e, heldAt)),
        sold: soldEvents.map((e) => delay(e, paidAt)),
        versionsAfterTheSnapshot: versions,
        seatMaps: maps.map((res) => res.body.data?.seats.find((s: Seat) => s.row === seat.row && s.col === seat.col)),
      }).toEqual({
        held: ['in time', 'in time', 'in time'],
        sold: ['in time', 'in time', 'in time'],
        versionsAfterTheSnapshot: [true, true, true],
        seatMaps: apps.map(() => ({ ...seat, status: 'sold', zone: 'standard', price: 45.5, pair: null })),
      });
    } finally {
      streams.forEach((stream) => stream.close());
    }
  });
});

/** A `seats` event that shows `seat` with `status`. */
const showing = (seat: Seat, status: string) => (e: SseEvent) =>
  e.event === 'seats' &&
  (e.data.seats as (Seat & { status: string })[]).some(
    (s) => s.row === seat.row && s.col === seat.col && s.status === status,
  );
