import { Cinema } from '../src/catalog/entities/cinema.entity';
import { Schedule } from '../src/schedules/entities/schedule.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { SeatClaim } from '../src/ticketing/entities/seat-claim.entity';
import { HoldSweepService } from '../src/ticketing/hold-sweep.service';
import { givenShowtime, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp } from './support/test-app';
import { API, buyTickets, claimsOf, hold, lapse, orderRow, pay, selectsDuring, soldCountOf } from './support/ticketing';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isSqlite = process.env.TEST_DB_KIND !== 'mysql';

describe('Orders: hold, pay, cancel, refund, read (CONTRACT 7)', () => {
  let t: TestApp;
  let alice: GivenUser;
  let bob: GivenUser;
  let admin: GivenUser;

  beforeAll(async () => {
    // The sweep is driven by hand here, to show that a lapsed hold is judged by time, not by the sweep.
    t = await bootTestApp({ SWEEP_SECONDS: '3600' });
    alice = await givenUser(t);
    bob = await givenUser(t);
    admin = await givenUser(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  describe('POST /orders', () => {
    it('should hold the seats as a pending order, amount = seats × price, claims until expiresAt', async () => {
      const { schedule, movie, cinema, hall } = await givenShowtime(t, { priceCents: 4550 });
      const before = Date.now();
      const res = await hold(t.http, alice, schedule.id, [
        { row: 2, col: 3 },
        { row: 1, col: 1 },
      ]).expect(201);
      expect(res.body.code).toBe(1000);
      const order = res.body.data;
      expect(order).toEqual({
        id: expect.any(Number),
        userId: alice.user.id,
        scheduleId: schedule.id,
        movieTitle: movie.title,
        cinemaName: cinema.name,
        hallName: hall.name,
        startsAt: schedule.startsAt.toISOString(),
        seats: [
          { row: 1, col: 1, zone: 'standard', ticketType: null, price: 45.5 },
          { row: 2, col: 3, zone: 'standard', ticketType: null, price: 45.5 },
        ],
        amount: 91,
        discount: 0,
        voucherCode: null,
        status: 'pending',
        expiresAt: expect.stringMatching(ISO),
        paidAt: null,
        payment: null,
        ticketCode: null,
        checkedInAt: null,
        createdAt: expect.stringMatching(ISO),
      });
      const holdMs = Date.parse(order.expiresAt) - before;
      expect(holdMs).toBeGreaterThanOrEqual(900_000);
      expect(holdMs).toBeLessThan(910_000);

      const row = await orderRow(t.db, order.id);
      expect(row).toMatchObject({ status: 'pending', unitPriceCents: 4550, amountCents: 9100, userId: alice.user.id });
      const claims = await claimsOf(t.db, { orderId: order.id });
      expect(claims.map((c) => [c.seatRow, c.seatCol, c.userId, c.expiresAt?.toISOString()])).toEqual([
        [1, 1, alice.user.id, order.expiresAt],
        [2, 3, alice.user.id, order.expiresAt],
      ]);
    });

    it('should need a token (1007)', async () => {
      const { schedule } = await givenShowtime(t);
      const res = await t.http.post(`${API}/orders`).send({ scheduleId: schedule.id, seats: [{ row: 1, col: 1 }] });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe(1007);
    });

    it.each([
      ['no seats', { seats: [] }, 'seats'],
      ['7 seats', { seats: [1, 2, 3, 4, 5, 6, 7].map((col) => ({ row: 1, col })) }, 'seats'],
      [
        'a repeated seat',
        {
          seats: [
            { row: 1, col: 1 },
            { row: 1, col: 1 },
          ],
        },
        'seats',
      ],
      ['row 0', { seats: [{ row: 0, col: 1 }] }, 'seats.0.row'],
      ['a fractional column', { seats: [{ row: 1, col: 1.5 }] }, 'seats.0.col'],
      ['seats not a list', { seats: 'A1' }, 'seats'],
      ['no scheduleId', { scheduleId: undefined }, 'scheduleId'],
      ['a string scheduleId', { scheduleId: 'one' }, 'scheduleId'],
      ['an unknown field', { coupon: 'FREE' }, 'coupon'],
    ])('should answer 1002 for %s', async (_case, patch, field) => {
      const { schedule } = await givenShowtime(t);
      const body = { scheduleId: schedule.id, seats: [{ row: 1, col: 1 }], ...patch };
      const res = await t.http.post(`${API}/orders`).set(alice.auth).send(body).expect(400);
      expect(res.body.code).toBe(1002);
      expect(res.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await t.db.getRepository(Order).countBy({ scheduleId: schedule.id })).toBe(0);
    });

    it('should answer 1002 for a seat outside the hall grid, holding nothing', async () => {
      const { schedule } = await givenShowtime(t, { hall: { rows: 5, cols: 8 } });
      const res = await hold(t.http, alice, schedule.id, [
        { row: 1, col: 1 },
        { row: 6, col: 1 },
      ]).expect(400);
      expect(res.body).toMatchObject({
        code: 1002,
        data: [{ field: 'seats', message: expect.stringContaining('6-1') }],
      });
      await hold(t.http, alice, schedule.id, [{ row: 1, col: 9 }]).expect(400);
      expect(await claimsOf(t.db, { scheduleId: schedule.id })).toHaveLength(0);
    });

    it('should answer 1014 for an unknown showtime', async () => {
      const res = await hold(t.http, alice, 2_000_000_000, [{ row: 1, col: 1 }]).expect(404);
      expect(res.body.code).toBe(1014);
    });

    it('should answer 2005 once the showtime has started, and while the cinema is not active', async () => {
      const started = await givenShowtime(t, { startsInMinutes: -5 });
      expect((await hold(t.http, alice, started.schedule.id, [{ row: 1, col: 1 }]).expect(409)).body.code).toBe(2005);
      const suspended = await givenShowtime(t);
      await t.db.getRepository(Cinema).update({ id: suspended.cinema.id }, { status: 'suspended' });
      expect((await hold(t.http, alice, suspended.schedule.id, [{ row: 1, col: 1 }]).expect(409)).body.code).toBe(2005);
      expect(await claimsOf(t.db, { scheduleId: suspended.schedule.id })).toHaveLength(0);
    });

    it('should answer 2003 for a disabled seat', async () => {
      const { schedule } = await givenShowtime(t, { hall: { disabledSeats: [{ row: 3, col: 4 }] } });
      const res = await hold(t.http, alice, schedule.id, [{ row: 3, col: 4 }]).expect(409);
      expect(res.body).toMatchObject({ code: 2003, data: null });
    });

    it('should answer 2003 for a held or sold seat, and hold none of the others (all or none)', async () => {
      const { schedule } = await givenShowtime(t);
      await hold(t.http, alice, schedule.id, [{ row: 1, col: 1 }]).expect(201);
      await buyTickets(t.http, alice, schedule.id, [{ row: 1, col: 2 }]);
      for (const taken of [
        { row: 1, col: 1 },
        { row: 1, col: 2 },
      ]) {
        const res = await hold(t.http, bob, schedule.id, [{ row: 4, col: 4 }, taken]).expect(409);
        expect(res.body.code).toBe(2003);
      }
      expect(await t.db.getRepository(Order).countBy({ scheduleId: schedule.id, userId: bob.user.id })).toBe(0);
      expect(await claimsOf(t.db, { scheduleId: schedule.id, seatRow: 4, seatCol: 4 })).toHaveLength(0);
      await hold(t.http, bob, schedule.id, [{ row: 4, col: 4 }]).expect(201);
    });

    it('should count held and paid seats against the 6 per user per showtime (2004), and free them on cancel', async () => {
      const { schedule } = await givenShowtime(t);
      const carol = await givenUser(t);
      const first = await buyTickets(
        t.http,
        carol,
        schedule.id,
        [1, 2, 3].map((col) => ({ row: 1, col })),
      );
      const second = await hold(t.http, carol, schedule.id, [
        { row: 2, col: 1 },
        { row: 2, col: 2 },
      ]).expect(201);
      const over = await hold(t.http, carol, schedule.id, [
        { row: 3, col: 1 },
        { row: 3, col: 2 },
      ]).expect(409);
      expect(over.body.code).toBe(2004);
      await hold(t.http, carol, schedule.id, [{ row: 3, col: 1 }]).expect(201);
      expect((await hold(t.http, carol, schedule.id, [{ row: 3, col: 2 }]).expect(409)).body.code).toBe(2004);

      await t.http.post(`${API}/orders/${second.body.data.id}/cancel`).set(carol.auth).expect(200);
      await hold(t.http, carol, schedule.id, [
        { row: 3, col: 2 },
        { row: 3, col: 3 },
      ]).expect(201);
      // Another showtime has its own 6; a lapsed hold counts for nothing.
      const other = await givenShowtime(t);
      const big = await hold(
        t.http,
        carol,
        other.schedule.id,
        [1, 2, 3, 4, 5, 6].map((col) => ({ row: 1, col })),
      );
      expect(big.status).toBe(201);
      await lapse(t.db, big.body.data.id);
      await hold(
        t.http,
        carol,
        other.schedule.id,
        [1, 2, 3, 4, 5, 6].map((col) => ({ row: 2, col })),
      ).expect(201);
      expect(first.status).toBe('paid');
    });

    it('should free a lapsed hold at once, before any sweep, and read that order as expired', async () => {
      const { schedule } = await givenShowtime(t);
      const held = await hold(t.http, alice, schedule.id, [{ row: 5, col: 5 }]).expect(201);
      await lapse(t.db, held.body.data.id);

      const taken = await hold(t.http, bob, schedule.id, [{ row: 5, col: 5 }]).expect(201);
      const claims = await claimsOf(t.db, { scheduleId: schedule.id });
      expect(claims.map((c) => c.orderId)).toEqual([taken.body.data.id]);
      const read = await t.http.get(`${API}/orders/${held.body.data.id}`).set(alice.auth).expect(200);
      expect(read.body.data.status).toBe('expired');
      if (isSqlite) expect((await orderRow(t.db, held.body.data.id)).status).toBe('pending');
      expect((await pay(t.http, alice, held.body.data.id).expect(409)).body.code).toBe(2006);
    });

    it('should keep the amount frozen at hold time when the price changes', async () => {
      const { schedule } = await givenShowtime(t, { priceCents: 3000 });
      const held = await hold(t.http, alice, schedule.id, [
        { row: 1, col: 1 },
        { row: 1, col: 2 },
      ]).expect(201);
      await t.db.getRepository(Schedule).update({ id: schedule.id }, { priceCents: 9999 });
      const paid = await pay(t.http, alice, held.body.data.id).expect(200);
      expect(paid.body.data.amount).toBe(60);
      expect((await orderRow(t.db, held.body.data.id)).amountCents).toBe(6000);
    });
  });

  describe('POST /orders/:id/pay', () => {
    it('should mark it paid with a 16-digit ticket code, sell the claims and count the seats', async () => {
      const { schedule } = await givenShowtime(t);
      const held = await hold(t.http, alice, schedule.id, [
        { row: 1, col: 1 },
        { row: 1, col: 2 },
      ]).expect(201);
      const res = await t.http.post(`${API}/orders/${held.body.data.id}/pay`).set(alice.auth).send({}).expect(200);
      expect(res.body.code).toBe(1000);
      expect(res.body.data).toMatchObject({
        id: held.body.data.id,
        status: 'paid',
        ticketCode: expect.stringMatching(/^\d{16}$/),
        paidAt: expect.stringMatching(ISO),
        amount: 91,
      });
      const row = await orderRow(t.db, held.body.data.id);
      expect(row).toMatchObject({ status: 'paid', paymentChannel: 'mock', ticketCode: res.body.data.ticketCode });
      expect((await claimsOf(t.db, { orderId: row.id })).map((c) => c.expiresAt)).toEqual([null, null]);
      expect(await soldCountOf(t.db, schedule.id)).toBe(2);
    });

    it('should answer a paid order unchanged when paid again', async () => {
      const { schedule } = await givenShowtime(t);
      const first = await buyTickets(t.http, alice, schedule.id, [{ row: 2, col: 2 }]);
      const again = await pay(t.http, alice, first.id).expect(200);
      expect(again.body.data).toEqual(first);
      expect(await soldCountOf(t.db, schedule.id)).toBe(1);
    });

    it('should answer 2006 for a cancelled, lapsed, swept or refunded order', async () => {
      const { schedule } = await givenShowtime(t);
      const cancelled = await hold(t.http, alice, schedule.id, [{ row: 1, col: 1 }]).expect(201);
      await t.http.post(`${API}/orders/${cancelled.body.data.id}/cancel`).set(alice.auth).expect(200);
      const lapsed = await hold(t.http, alice, schedule.id, [{ row: 1, col: 2 }]).expect(201);
      await lapse(t.db, lapsed.body.data.id);
      const swept = await hold(t.http, alice, schedule.id, [{ row: 1, col: 3 }]).expect(201);
      await t.db.getRepository(Order).update({ id: swept.body.data.id }, { status: 'expired' });
      const refunded = await buyTickets(t.http, alice, schedule.id, [{ row: 1, col: 4 }]);
      await t.http.post(`${API}/orders/${refunded.id}/refund`).set(alice.auth).expect(200);

      for (const id of [cancelled.body.data.id, lapsed.body.data.id, swept.body.data.id, refunded.id]) {
        const res = await pay(t.http, alice, id).expect(409);
        expect(res.body).toMatchObject({ code: 2006, data: null });
      }
      expect(await soldCountOf(t.db, schedule.id)).toBe(0);
    });

    it('should change nothing when a claim of the live hold is no longer its own (checked under the lock)', async () => {
      const { schedule } = await givenShowtime(t);
      const held = await hold(t.http, alice, schedule.id, [
        { row: 1, col: 1 },
        { row: 1, col: 2 },
      ]).expect(201);
      const id = held.body.data.id;
      const [gone] = await claimsOf(t.db, { orderId: id });
      await t.db.getRepository(SeatClaim).delete({ id: gone.id });
      const versionOf = async () =>
        (await t.db.getRepository(Schedule).findOneByOrFail({ id: schedule.id })).seatVersion;
      const before = await versionOf();

      expect((await pay(t.http, alice, id).expect(409)).body).toMatchObject({ code: 2006, data: null });
      expect((await orderRow(t.db, id)).status).toBe('pending');
      expect((await claimsOf(t.db, { orderId: id })).map((c) => c.expiresAt)).toEqual([expect.any(Date)]);
      expect(await soldCountOf(t.db, schedule.id)).toBe(0);
      expect(await versionOf()).toBe(before);
    });

    it('should refuse an unknown channel (1002), another user (1014), an unknown or malformed id', async () => {
      const { schedule } = await givenShowtime(t);
      const held = await hold(t.http, alice, schedule.id, [{ row: 1, col: 1 }]).expect(201);
      const id = held.body.data.id;
      const channel = await t.http
        .post(`${API}/orders/${id}/pay`)
        .set(alice.auth)
        .send({ channel: 'cash' })
        .expect(400);
      expect(channel.body).toMatchObject({ code: 1002, data: [{ field: 'channel' }] });
      expect((await pay(t.http, bob, id).expect(404)).body.code).toBe(1014);
      expect((await pay(t.http, admin, id).expect(404)).body.code).toBe(1014);
      expect((await pay(t.http, alice, 2_000_000_000).expect(404)).body.code).toBe(1014);
      const bad = await t.http.post(`${API}/orders/abc/pay`).set(alice.auth).send({}).expect(400);
      expect(bad.body).toMatchObject({ code: 1002, data: [{ field: 'id' }] });
      expect((await orderRow(t.db, id)).status).toBe('pending');
    });
  });

  describe('POST /orders/:id/cancel', () => {
    it('should cancel a pending order and free its seats at once', async () => {
      const { schedule } = await givenShowtime(t);
      const held = await hold(t.http, alice, schedule.id, [{ row: 3, col: 3 }]).expect(201);
      const res = await t.http.post(`${API}/orders/${held.body.data.id}/cancel`).set(alice.auth).expect(200);
      expect(res.body.data).toMatchObject({ id: held.body.data.id, status: 'cancelled', ticketCode: null });
      expect((await orderRow(t.db, held.body.data.id)).status).toBe('cancelled');
      expect(await claimsOf(t.db, { orderId: held.body.data.id })).toHaveLength(0);
      await hold(t.http, bob, schedule.id, [{ row: 3, col: 3 }]).expect(201);
    });

    it('should answer 2006 unless pending, and 1014 for another user', async () => {
      const { schedule } = await givenShowtime(t);
      const held = await hold(t.http, alice, schedule.id, [{ row: 1, col: 1 }]).expect(201);
      expect((await t.http.post(`${API}/orders/${held.body.data.id}/cancel`).set(bob.auth).expect(404)).body.code).toBe(
        1014,
      );
      await t.http.post(`${API}/orders/${held.body.data.id}/cancel`).set(alice.auth).expect(200);
      const twice = await t.http.post(`${API}/orders/${held.body.data.id}/cancel`).set(alice.auth).expect(409);
      expect(twice.body.code).toBe(2006);
      const paid = await buyTickets(t.http, alice, schedule.id, [{ row: 1, col: 2 }]);
      expect((await t.http.post(`${API}/orders/${paid.id}/cancel`).set(alice.auth).expect(409)).body.code).toBe(2006);
      const lapsed = await hold(t.http, alice, schedule.id, [{ row: 1, col: 3 }]).expect(201);
      await lapse(t.db, lapsed.body.data.id);
      expect(
        (await t.http.post(`${API}/orders/${lapsed.body.data.id}/cancel`).set(alice.auth).expect(409)).body.code,
      ).toBe(2006);
      expect((await orderRow(t.db, paid.id)).status).toBe('paid');
    });
  });

  describe('POST /orders/:id/refund', () => {
    it('should refund a paid ticket, free its seats and take them off the sold count', async () => {
      const { schedule } = await givenShowtime(t);
      const paid = await buyTickets(t.http, alice, schedule.id, [
        { row: 2, col: 1 },
        { row: 2, col: 2 },
      ]);
      expect(await soldCountOf(t.db, schedule.id)).toBe(2);
      const res = await t.http.post(`${API}/orders/${paid.id}/refund`).set(alice.auth).expect(200);
      expect(res.body.data).toMatchObject({ id: paid.id, status: 'refunded', ticketCode: null });
      expect((await orderRow(t.db, paid.id)).status).toBe('refunded');
      expect(await claimsOf(t.db, { orderId: paid.id })).toHaveLength(0);
      expect(await soldCountOf(t.db, schedule.id)).toBe(0);
      await hold(t.http, bob, schedule.id, [{ row: 2, col: 1 }]).expect(201);
    });

    it('should answer 2007 for a pending, refunded or checked-in order and inside the cutoff', async () => {
      const { schedule, merchant } = await givenShowtime(t);
      const pending = await hold(t.http, alice, schedule.id, [{ row: 1, col: 1 }]).expect(201);
      const refunded = await buyTickets(t.http, alice, schedule.id, [{ row: 1, col: 2 }]);
      await t.http.post(`${API}/orders/${refunded.id}/refund`).set(alice.auth).expect(200);
      const used = await buyTickets(t.http, alice, schedule.id, [{ row: 1, col: 3 }]);
      await t.http.post(`${API}/tickets/check-in`).set(merchant.auth).send({ ticketCode: used.ticketCode }).expect(200);
      const soon = await givenShowtime(t, { startsInMinutes: 29 });
      const late = await buyTickets(t.http, alice, soon.schedule.id, [{ row: 1, col: 1 }]);

      for (const id of [pending.body.data.id, refunded.id, used.id, late.id]) {
        const res = await t.http.post(`${API}/orders/${id}/refund`).set(alice.auth).expect(409);
        expect(res.body).toMatchObject({ code: 2007, data: null });
      }
      expect((await orderRow(t.db, late.id)).status).toBe('paid');
      expect(await soldCountOf(t.db, soon.schedule.id)).toBe(1);
      const other = await t.http.post(`${API}/orders/${used.id}/refund`).set(bob.auth).expect(404);
      expect(other.body.code).toBe(1014);
    });

    it('should refund once when two refunds race', async () => {
      const { schedule } = await givenShowtime(t);
      const paid = await buyTickets(t.http, alice, schedule.id, [
        { row: 4, col: 1 },
        { row: 4, col: 2 },
      ]);
      const results = await Promise.all(
        [1, 2].map(() => t.http.post(`${API}/orders/${paid.id}/refund`).set(alice.auth)),
      );
      expect(results.map((r) => r.body.code).sort()).toEqual([1000, 2007]);
      expect(await soldCountOf(t.db, schedule.id)).toBe(0);
    });
  });

  describe('GET /orders and GET /orders/:id', () => {
    it('should list only my orders, newest first, paged, with the showtime facts', async () => {
      const dave = await givenUser(t);
      const { schedule, movie } = await givenShowtime(t);
      const ids: number[] = [];
      for (let col = 1; col <= 3; col++) {
        ids.push((await hold(t.http, dave, schedule.id, [{ row: 1, col }]).expect(201)).body.data.id);
      }
      await hold(t.http, bob, schedule.id, [{ row: 2, col: 1 }]).expect(201);

      const page1 = await t.http.get(`${API}/orders?page=1&pageSize=2`).set(dave.auth).expect(200);
      expect(page1.body.total).toBe(3);
      expect(page1.body.data.map((o: { id: number }) => o.id)).toEqual([ids[2], ids[1]]);
      expect(page1.body.data[0]).toMatchObject({ movieTitle: movie.title, startsAt: schedule.startsAt.toISOString() });
      const page2 = await t.http.get(`${API}/orders?page=2&pageSize=2`).set(dave.auth).expect(200);
      expect(page2.body.data.map((o: { id: number }) => o.id)).toEqual([ids[0]]);
    });

    it('should read a page with its showtimes in one query (and one count), however many orders it holds', async () => {
      const frank = await givenUser(t);
      for (let i = 0; i < 4; i++) {
        const { schedule } = await givenShowtime(t);
        await buyTickets(t.http, frank, schedule.id, [{ row: 1, col: 1 }]);
      }
      let titles: string[] = [];
      const selects = await selectsDuring(t.db, /orders/i, async () => {
        const res = await t.http.get(`${API}/orders`).set(frank.auth).expect(200);
        titles = res.body.data.map((o: { movieTitle: string }) => o.movieTitle);
      });
      expect(titles).toHaveLength(4);
      expect(new Set(titles).size).toBe(4);
      expect(selects).toHaveLength(2);
    });

    it('should filter by status, counting a lapsed pending order as expired', async () => {
      const erin = await givenUser(t);
      const { schedule } = await givenShowtime(t);
      const live = (await hold(t.http, erin, schedule.id, [{ row: 1, col: 1 }]).expect(201)).body.data.id;
      const lapsed = (await hold(t.http, erin, schedule.id, [{ row: 1, col: 2 }]).expect(201)).body.data.id;
      await lapse(t.db, lapsed);
      const paid = (await buyTickets(t.http, erin, schedule.id, [{ row: 1, col: 3 }])).id;
      const ids = async (status: string) =>
        (await t.http.get(`${API}/orders?status=${status}`).set(erin.auth).expect(200)).body.data.map(
          (o: { id: number; status: string }) => [o.id, o.status],
        );
      expect(await ids('pending')).toEqual([[live, 'pending']]);
      expect(await ids('expired')).toEqual([[lapsed, 'expired']]);
      expect(await ids('paid')).toEqual([[paid, 'paid']]);
      expect(await ids('refunded')).toEqual([]);
      const bad = await t.http.get(`${API}/orders?status=lost`).set(erin.auth).expect(400);
      expect(bad.body).toMatchObject({ code: 1002, data: [{ field: 'status' }] });
      await t.http.get(`${API}/orders?pageSize=101`).set(erin.auth).expect(400);
    });

    it('should show an order to its owner (with the code), an admin and the cinema owner, and 1014 to others', async () => {
      const { schedule, merchant } = await givenShowtime(t);
      const paid = await buyTickets(t.http, alice, schedule.id, [{ row: 5, col: 1 }]);
      const own = await t.http.get(`${API}/orders/${paid.id}`).set(alice.auth).expect(200);
      expect(own.body.data).toEqual(paid);
      for (const staff of [admin, merchant]) {
        const res = await t.http.get(`${API}/orders/${paid.id}`).set(staff.auth).expect(200);
        expect(res.body.data).toEqual({ ...paid, ticketCode: null });
      }
      const otherMerchant = await givenUser(t, 'merchant');
      for (const stranger of [bob, otherMerchant]) {
        expect((await t.http.get(`${API}/orders/${paid.id}`).set(stranger.auth).expect(404)).body.code).toBe(1014);
      }
      expect((await t.http.get(`${API}/orders/2000000000`).set(alice.auth).expect(404)).body.code).toBe(1014);
      expect((await t.http.get(`${API}/orders/0`).set(alice.auth).expect(400)).body.code).toBe(1002);
    });
  });

  describe('GET /orders/:id/qrcode', () => {
    it('should answer the ticket code as PNG, or SVG with ?format=svg, to the owner of a paid order', async () => {
      const QRCode = await import('qrcode');
      const { schedule } = await givenShowtime(t);
      const paid = await buyTickets(t.http, alice, schedule.id, [{ row: 1, col: 1 }]);
      const png = await t.http.get(`${API}/orders/${paid.id}/qrcode`).set(alice.auth).buffer(true).expect(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect((png.body as Buffer).subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      expect(png.body).toEqual(await QRCode.toBuffer(paid.ticketCode, { type: 'png', margin: 2, width: 320 }));

      const svg = await t.http
        .get(`${API}/orders/${paid.id}/qrcode?format=svg`)
        .set(alice.auth)
        .buffer(true)
        .expect(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect((svg.body as Buffer).toString('utf8')).toBe(
        await QRCode.toString(paid.ticketCode, { type: 'svg', margin: 2 }),
      );
    });

    it('should answer 2006 unless paid, 1014 to anyone but the owner, 1002 for another format', async () => {
      const { schedule } = await givenShowtime(t);
      const held = await hold(t.http, alice, schedule.id, [{ row: 1, col: 1 }]).expect(201);
      const pending = await t.http.get(`${API}/orders/${held.body.data.id}/qrcode`).set(alice.auth).expect(409);
      expect(pending.body).toMatchObject({ code: 2006, data: null });
      const paid = await buyTickets(t.http, alice, schedule.id, [{ row: 1, col: 2 }]);
      for (const other of [bob, admin]) {
        expect((await t.http.get(`${API}/orders/${paid.id}/qrcode`).set(other.auth).expect(404)).body.code).toBe(1014);
      }
      const gif = await t.http.get(`${API}/orders/${paid.id}/qrcode?format=gif`).set(alice.auth).expect(400);
      expect(gif.body).toMatchObject({ code: 1002, data: [{ field: 'format' }] });
      await t.http.post(`${API}/orders/${paid.id}/refund`).set(alice.auth).expect(200);
      expect((await t.http.get(`${API}/orders/${paid.id}/qrcode`).set(alice.auth).expect(409)).body.code).toBe(2006);
    });
  });

  describe('the sweep', () => {
    it('should mark lapsed holds expired and delete their claims, once, however many sweeps run at once', async () => {
      const sweeper = t.app.get(HoldSweepService);
      await sweeper.sweep(); // holds lapsed by earlier tests
      const { schedule } = await givenShowtime(t);
      const ids: number[] = [];
      for (let col = 1; col <= 5; col++) {
        const held = await hold(t.http, bob, schedule.id, [{ row: 2, col }]).expect(201);
        await lapse(t.db, held.body.data.id);
        ids.push(held.body.data.id);
      }
      const live = await hold(t.http, alice, schedule.id, [{ row: 3, col: 1 }]).expect(201);
      const paid = await buyTickets(t.http, alice, schedule.id, [{ row: 3, col: 2 }]);

      const counts = await Promise.all([sweeper.sweep(), sweeper.sweep(), sweeper.sweep()]);
      // Other test files' apps sweep the shared MySQL database too, so only SQLite sees all five here.
      if (isSqlite) expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
      expect(counts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5);
      for (const id of ids) {
        expect((await orderRow(t.db, id)).status).toBe('expired');
        expect(await claimsOf(t.db, { orderId: id })).toHaveLength(0);
      }
      expect((await orderRow(t.db, live.body.data.id)).status).toBe('pending');
      expect(await claimsOf(t.db, { orderId: live.body.data.id })).toHaveLength(1);
      expect(await claimsOf(t.db, { orderId: paid.id })).toHaveLength(1);
      expect(await sweeper.sweep()).toBe(0);
      const read = await t.http.get(`${API}/orders/${ids[0]}`).set(bob.auth).expect(200);
      expect(read.body.data.status).toBe('expired');
    });
  });
});
