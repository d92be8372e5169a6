import { SeatClaim } from '../src/ticketing/entities/seat-claim.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { givenShowtime, givenUser } from './support/factories';
import { expectConsistentSellOut, sellOut } from './support/sell-out';
import { spawnApps, SpawnedApp, stopApps } from './support/spawn-app';
import { bootTestApp, TestApp } from './support/test-app';
import { API, buyTickets, claimsOf, hold, orderRow, pay, soldCountOf } from './support/ticketing';

const HOLD_SECONDS = 2;

/** Real concurrent HTTP requests against one app; the database decides every race. */
describe('Ticketing races (CONTRACT 7)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp({ ORDER_HOLD_SECONDS: String(HOLD_SECONDS), SWEEP_SECONDS: '1' });
  });

  afterAll(async () => {
    await t.close();
  });

  const users = (n: number) => Promise.all(Array.from({ length: n }, () => givenUser(t)));
  const codes = (responses: { body: { code: number } }[]) => responses.map((r) => r.body.code).sort();

  it('should let exactly one of 50 users hold the same seat', async () => {
    const { schedule } = await givenShowtime(t);
    const racers = await users(50);
    const results = await Promise.all(racers.map((u) => hold(t.http, u, schedule.id, [{ row: 3, col: 4 }])));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 2003)).toHaveLength(49);
    const claims = await claimsOf(t.db, { scheduleId: schedule.id });
    expect(claims).toHaveLength(1);
    const winner = results.find((r) => r.status === 201)!.body.data;
    expect(claims[0].orderId).toBe(winner.id);
    // The losers' orders rolled back with their claims: all or none.
    expect(await t.db.getRepository(Order).countBy({ scheduleId: schedule.id })).toBe(1);
  });

  it('should let only one of two racing 4-seat holds of one user through (2004)', async () => {
    const { schedule } = await givenShowtime(t);
    const [user] = await users(1);
    const results = await Promise.all([
      hold(
        t.http,
        user,
        schedule.id,
        [1, 2, 3, 4].map((col) => ({ row: 1, col })),
      ),
      hold(
        t.http,
        user,
        schedule.id,
        [1, 2, 3, 4].map((col) => ({ row: 2, col })),
      ),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(codes(results)).toEqual([1000, 2004]);
    expect(await claimsOf(t.db, { scheduleId: schedule.id, userId: user.user.id })).toHaveLength(4);
  });

  it('should check one ticket in once when two scans race', async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const [user] = await users(1);
    const paid = await buyTickets(t.http, user, schedule.id, [{ row: 1, col: 1 }]);
    const scan = () => t.http.post(`${API}/tickets/check-in`).set(merchant.auth).send({ ticketCode: paid.ticketCode });
    const results = await Promise.all([scan(), scan()]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(codes(results)).toEqual([1000, 2008]);
  });

  it('should sell once when one order is paid twice at once, both answering the paid order', async () => {
    const { schedule } = await givenShowtime(t);
    const [user] = await users(1);
    const held = await hold(t.http, user, schedule.id, [
      { row: 1, col: 1 },
      { row: 1, col: 2 },
    ]).expect(201);
    const results = await Promise.all([pay(t.http, user, held.body.data.id), pay(t.http, user, held.body.data.id)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results[0].body.data.ticketCode).toBe(results[1].body.data.ticketCode);
    expect((await orderRow(t.db, held.body.data.id)).ticketCode).toBe(results[0].body.data.ticketCode);
    expect(await soldCountOf(t.db, schedule.id)).toBe(2);
  });

  it('should let either the payment or the cancel of one order win, never both', async () => {
    const { schedule } = await givenShowtime(t);
    const [user] = await users(1);
    for (let round = 1; round <= 5; round++) {
      const held = await hold(t.http, user, schedule.id, [{ row: round, col: 1 }]).expect(201);
      const id = held.body.data.id;
      const [paid, cancelled] = await Promise.all([
        pay(t.http, user, id),
        t.http.post(`${API}/orders/${id}/cancel`).set(user.auth),
      ]);
      expect([paid.body.code, cancelled.body.code].sort()).toEqual([1000, 2006]);
      const row = await orderRow(t.db, id);
      const claims = await claimsOf(t.db, { orderId: id });
      if (paid.status === 200) {
        expect(row.status).toBe('paid');
        expect(claims.map((c) => c.expiresAt)).toEqual([null]);
      } else {
        expect(row.status).toBe('cancelled');
        expect(claims).toEqual([]);
      }
    }
    const paidSeats = await t.db.getRepository(Order).countBy({ scheduleId: schedule.id, status: 'paid' });
    expect(await soldCountOf(t.db, schedule.id)).toBe(paidSeats);
  });

  it('should let either the refund or the check-in of one ticket win, never both', async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const [user] = await users(1);
    const paid = await buyTickets(t.http, user, schedule.id, [{ row: 1, col: 1 }]);
    const [refund, scan] = await Promise.all([
      t.http.post(`${API}/orders/${paid.id}/refund`).set(user.auth),
      t.http.post(`${API}/tickets/check-in`).set(merchant.auth).send({ ticketCode: paid.ticketCode }),
    ]);
    const row = await orderRow(t.db, paid.id);
    if (refund.status === 200) {
      expect(scan.body.code).toBe(2008);
      expect(row).toMatchObject({ status: 'refunded', checkedInAt: null });
      expect(await soldCountOf(t.db, schedule.id)).toBe(0);
    } else {
      expect([refund.body.code, scan.body.code]).toEqual([2007, 1000]);
      expect(row.status).toBe('paid');
      expect(row.checkedInAt).not.toBeNull();
      expect(await soldCountOf(t.db, schedule.id)).toBe(1);
    }
  });

  it('should sell out a small hall to clients holding, paying, cancelling, refunding and abandoning at random', async () => {
    const showtime = await givenShowtime(t, { hall: { rows: 4, cols: 5, disabledSeats: [{ row: 1, col: 3 }] } });
    const customers = await users(10);
    const stats = await sellOut({
      agents: [t.http],
      db: t.db,
      customers,
      showtime,
      holdSeconds: HOLD_SECONDS,
      chaosHolds: 40,
      timeLimitMs: 40_000,
    });
    expect(stats.unexpected).toEqual([]);
    expect(stats.cancelled).toBeGreaterThan(0);
    expect(stats.abandoned).toBeGreaterThan(0);
    expect(stats.refunded).toBeGreaterThan(0);
    await expectConsistentSellOut(t.db, showtime);
    const seats = (await t.http.get(`${API}/schedules/${showtime.schedule.id}/seats`).expect(200)).body.data.seats;
    expect(seats.filter((s: { status: string }) => s.status !== 'sold')).toEqual([
      { row: 1, col: 3, status: 'disabled', zone: 'standard', price: 45.5, pair: null },
    ]);
    expect(await t.db.getRepository(SeatClaim).countBy({ scheduleId: showtime.schedule.id })).toBe(19);
  }, 90_000);

  // Several instances on one database: only MySQL/MariaDB can be shared by separate processes here.
  if (process.env.TEST_DB_KIND === 'mysql') {
    describe('with two app processes sharing the MySQL database', () => {
      let apps: SpawnedApp[] = [];

      beforeAll(async () => {
        apps = await spawnApps(2, {
          DATABASE_URL: process.env.TEST_MYSQL_DATABASE_URL as string,
          JWT_SECRET: process.env.JWT_SECRET as string,
          ORDER_HOLD_SECONDS: String(HOLD_SECONDS),
          SWEEP_SECONDS: '1',
        });
      }, 180_000);

      afterAll(async () => {
        await stopApps(apps);
      });

      it('should sell out a small hall to clients alternating between the two processes', async () => {
        const showtime = await givenShowtime(t, { hall: { rows: 4, cols: 5, disabledSeats: [{ row: 4, col: 5 }] } });
        const customers = await users(10);
        const stats = await sellOut({
          agents: apps.map((app) => app.http),
          db: t.db,
          customers,
          showtime,
          holdSeconds: HOLD_SECONDS,
          chaosHolds: 40,
          timeLimitMs: 40_000,
        });
        expect(stats.unexpected).toEqual([]);
        expect(stats.abandoned).toBeGreaterThan(0);
        await expectConsistentSellOut(t.db, showtime);
        for (const app of apps) {
          const seats = (await app.http.get(`${API}/schedules/${showtime.schedule.id}/seats`).expect(200)).body.data
            .seats;
          expect(seats.filter((s: { status: string }) => s.status === 'sold')).toHaveLength(19);
        }
      }, 90_000);
    });
  }
});
