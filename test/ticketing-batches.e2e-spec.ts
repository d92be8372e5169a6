import { Schedule } from '../src/schedules/entities/schedule.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { givenShowtime, givenUser } from './support/factories';
import type { AppException } from '../src/common/app.exception';
import type { AuthUser, Role } from '../src/common/decorators/auth.decorators';
import { PaymentSettlementService } from '../src/ticketing/payment-settlement.service';
import { OrderViewsRepository } from '../src/ticketing/order-views.repository';
import { SeatHoldsService } from '../src/ticketing/seat-holds.service';
import { bootTestApp, TestApp } from './support/test-app';
import { claimsOf, hold, pay, soldCountOf } from './support/ticketing';

/**
 * Holds, and payments, of one showtime that queue together run in one transaction (KeyedBatches),
 * each still decided on its own: what each client gets and what the database holds must be as if
 * they had run one after another.
 */
describe('Holds and payments decided together (one transaction per batch)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const seatVersionOf = async (id: number) => (await t.db.getRepository(Schedule).findOneByOrFail({ id })).seatVersion;

  it('should hold every seat of 16 racing holds of different seats, each with its own order', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 8, cols: 8 } });
    const racers = await Promise.all(Array.from({ length: 16 }, () => givenUser(t)));
    const seatsOf = (i: number) => [
      { row: (i % 8) + 1, col: Math.floor(i / 8) * 2 + 1 },
      { row: (i % 8) + 1, col: Math.floor(i / 8) * 2 + 2 },
    ];
    const results = await Promise.all(racers.map((user, i) => hold(t.http, user, schedule.id, seatsOf(i))));

    expect(results.map((r) => r.status)).toEqual(Array(16).fill(201));
    for (const [i, result] of results.entries()) {
      const claims = await claimsOf(t.db, { orderId: result.body.data.id });
      expect(claims.map((c) => ({ row: c.seatRow, col: c.seatCol }))).toEqual(seatsOf(i));
      expect(claims.every((c) => c.userId === racers[i].user.id)).toBe(true);
    }
  });

  it('should give each hold of a batch its own answer, and keep only the accepted ones', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 5, cols: 8, disabledSeats: [{ row: 5, col: 8 }] } });
    const [first, second, capped, outsider, disabled, plain] = await Promise.all(
      Array.from({ length: 6 }, () => givenUser(t)),
    );
    const earlier = await hold(
      t.http,
      capped,
      schedule.id,
      [1, 2, 3, 4, 5].map((col) => ({ row: 4, col })),
    );
    expect(earlier.status).toBe(201);

    const [a, b, c, d, e, f] = await Promise.all([
      hold(t.http, first, schedule.id, [
        { row: 1, col: 1 },
        { row: 1, col: 2 },
      ]),
      hold(t.http, second, schedule.id, [
        { row: 1, col: 2 },
        { row: 1, col: 3 },
      ]),
      hold(t.http, capped, schedule.id, [
        { row: 2, col: 1 },
        { row: 2, col: 2 },
      ]),
      hold(t.http, outsider, schedule.id, [{ row: 6, col: 1 }]),
      hold(t.http, disabled, schedule.id, [{ row: 5, col: 8 }]),
      hold(t.http, plain, schedule.id, [{ row: 3, col: 3 }]),
    ]);

    // Exactly one of the two holds that share seat 1-2 stands; the other is told which seat clashed.
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.code).toBe(2003);
    expect(loser.body.msg).toContain('1-2');
    expect([c.status, c.body.code]).toEqual([409, 2004]);
    expect([d.status, d.body.code]).toEqual([400, 1002]);
    expect([e.status, e.body.code]).toEqual([409, 2003]);
    expect([f.status, f.body.code]).toEqual([201, 1000]);

    const winner = a.status === 201 ? a : b;
    const claims = await claimsOf(t.db, { scheduleId: schedule.id });
    expect(claims.map((claim) => claim.orderId).sort((x, y) => x - y)).toEqual(
      [...Array(5).fill(earlier.body.data.id), ...Array(2).fill(winner.body.data.id), f.body.data.id].sort(
        (x, y) => x - y,
      ),
    );
    expect(await t.db.getRepository(Order).countBy({ scheduleId: schedule.id })).toBe(3);
  });

  it('should settle 12 racing payments of one showtime, one of them sent twice, each once', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 6, cols: 8 } });
    const buyers = await Promise.all(Array.from({ length: 12 }, () => givenUser(t)));
    const held = await Promise.all(
      buyers.map((user, i) =>
        hold(t.http, user, schedule.id, [
          { row: (i % 6) + 1, col: Math.floor(i / 6) * 2 + 1 },
          { row: (i % 6) + 1, col: Math.floor(i / 6) * 2 + 2 },
        ]),
      ),
    );
    expect(held.map((r) => r.status)).toEqual(Array(12).fill(201));

    const payments = await Promise.all([
      ...buyers.map((user, i) => pay(t.http, user, held[i].body.data.id)),
      pay(t.http, buyers[0], held[0].body.data.id),
    ]);

    expect(payments.map((r) => [r.status, r.body.code])).toEqual(Array(13).fill([200, 1000]));
    expect(payments.every((r) => r.body.data.status === 'paid')).toBe(true);
    // The payment sent twice answers the one sale both times.
    expect(payments[12].body.data.ticketCode).toBe(payments[0].body.data.ticketCode);
    expect(new Set(payments.slice(0, 12).map((r) => r.body.data.ticketCode)).size).toBe(12);
    expect(await soldCountOf(t.db, schedule.id)).toBe(24);
    const claims = await claimsOf(t.db, { scheduleId: schedule.id });
    expect(claims).toHaveLength(24);
    expect(claims.every((claim) => claim.expiresAt === null)).toBe(true);
    for (const [i, result] of payments.slice(0, 12).entries()) {
      const order = await t.db.getRepository(Order).findOneByOrFail({ id: held[i].body.data.id });
      expect([order.status, order.ticketCode]).toEqual(['paid', result.body.data.ticketCode]);
    }
  });

  const authOf = (given: { user: { id: number; role: Role } }): AuthUser => ({
    id: given.user.id,
    role: given.user.role,
    tokenId: 'test',
    expiresAt: new Date(Date.now() + 3600_000),
  });

  it('should run holds asked for while one runs as one more transaction: two in all for ten', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 5, cols: 8 } });
    const buyers = await Promise.all(Array.from({ length: 10 }, () => givenUser(t)));
    const holds = t.app.get(SeatHoldsService);
    const versionBefore = await seatVersionOf(schedule.id);

    const orders = await Promise.all(
      buyers.map((buyer, i) =>
        holds.hold(authOf(buyer), {
          scheduleId: schedule.id,
          seats: [{ row: (i % 5) + 1, col: Math.floor(i / 5) + 1 }],
        }),
      ),
    );

    expect(orders.map((order) => order.status)).toEqual(Array(10).fill('pending'));
    expect(new Set(orders.map((order) => order.id)).size).toBe(10);
    // The first hold ran alone; the nine that came meanwhile went in the next transaction together.
    expect((await seatVersionOf(schedule.id)) - versionBefore).toBe(2);
    expect(await claimsOf(t.db, { scheduleId: schedule.id })).toHaveLength(10);
  });

  it('should settle payments asked for while one runs in one more transaction, a repeated one once', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 5, cols: 8 } });
    const buyers = await Promise.all(Array.from({ length: 8 }, () => givenUser(t)));
    const held = await Promise.all(
      buyers.map((buyer, i) => hold(t.http, buyer, schedule.id, [{ row: (i % 5) + 1, col: Math.floor(i / 5) + 1 }])),
    );
    const views = t.app.get(OrderViewsRepository);
    const pending = await Promise.all(held.map((r) => views.findView(r.body.data.id as number)));
    const settlement = t.app.get(PaymentSettlementService);
    const versionBefore = await seatVersionOf(schedule.id);

    const settled = await Promise.all([
      ...pending.map((view) => settlement.settle({ view: view!, channel: 'mock', method: 'qr' })),
      settlement.settle({ view: pending[3]!, channel: 'mock', method: 'qr' }),
    ]);

    expect(settled.map((outcome) => outcome.kind)).toEqual([...Array(8).fill('sold'), 'not-payable']);
    expect((await seatVersionOf(schedule.id)) - versionBefore).toBe(2);
    expect(await soldCountOf(t.db, schedule.id)).toBe(8);
    const claims = await claimsOf(t.db, { scheduleId: schedule.id });
    expect(claims.filter((claim) => claim.expiresAt === null)).toHaveLength(8);
  });

  it('should decide the per-user cap and clashing seats inside one batch, without falling back', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 5, cols: 8 } });
    const [opener, greedy, first, second] = await Promise.all(Array.from({ length: 4 }, () => givenUser(t)));
    const holds = t.app.get(SeatHoldsService);
    const versionBefore = await seatVersionOf(schedule.id);
    const row = (r: number, cols: number[]) => cols.map((col) => ({ row: r, col }));

    const outcomes = await Promise.allSettled([
      holds.hold(authOf(opener), { scheduleId: schedule.id, seats: row(5, [1]) }),
      holds.hold(authOf(greedy), { scheduleId: schedule.id, seats: row(1, [1, 2, 3, 4]) }),
      holds.hold(authOf(greedy), { scheduleId: schedule.id, seats: row(2, [1, 2, 3, 4]) }),
      holds.hold(authOf(first), { scheduleId: schedule.id, seats: row(3, [1, 2]) }),
      holds.hold(authOf(second), { scheduleId: schedule.id, seats: row(3, [2, 3]) }),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const codeOf = (o: PromiseSettledResult<unknown>) =>
      ((o as PromiseRejectedResult).reason as AppException).result.code;
    expect(codeOf(outcomes[2])).toBe(2004);
    expect(codeOf(outcomes[4])).toBe(2003);
    expect(((outcomes[4] as PromiseRejectedResult).reason as Error).message).toContain('3-2');
    // The opener alone, then the other four in one transaction: a fallback to one-by-one holds
    // (after a duplicate key, say) would have taken a transaction per hold that stands.
    expect((await seatVersionOf(schedule.id)) - versionBefore).toBe(2);
    expect(await claimsOf(t.db, { scheduleId: schedule.id, userId: greedy.user.id })).toHaveLength(4);
    expect(await claimsOf(t.db, { scheduleId: schedule.id })).toHaveLength(1 + 4 + 2);
  });

  it('should roll a batch whose every hold is refused back, its version bump included', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 5, cols: 8 } });
    const buyers = await Promise.all(Array.from({ length: 4 }, () => givenUser(t)));
    const holds = t.app.get(SeatHoldsService);
    const versionBefore = await seatVersionOf(schedule.id);
    const seat = { row: 2, col: 2 };

    const outcomes = await Promise.allSettled(
      buyers.map((buyer) => holds.hold(authOf(buyer), { scheduleId: schedule.id, seats: [seat] })),
    );

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
    expect((await seatVersionOf(schedule.id)) - versionBefore).toBe(1);
    expect(await t.db.getRepository(Order).countBy({ scheduleId: schedule.id })).toBe(1);
  });
});
