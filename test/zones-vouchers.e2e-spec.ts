import { Cinema } from '../src/catalog/entities/cinema.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { givenCinema, givenShowtime, GivenShowtime, givenUser, GivenUser } from './support/factories';
import { API, claimsOf, pay, Seat } from './support/ticketing';
import { bootTestApp, TestApp, unique } from './support/test-app';

/** CONTRACT 13: zones, couple seats, ticket types, the single-seat-gap rule and vouchers, end to end. */
describe('Zones, couple seats, ticket types and vouchers (CONTRACT 13)', () => {
  let t: TestApp;
  let admin: GivenUser;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await givenUser(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const VIP = [
    { row: 1, col: 1 },
    { row: 1, col: 2 },
    { row: 1, col: 3 },
    { row: 1, col: 4 },
  ];

  /**
   * A 3 × 6 hall: row 1 cols 1–4 VIP, a VIP couple pair at 1-1/1-2, a standard pair at 3-5/3-6;
   * base price 45.50, VIP 80, a student type 10 off.
   */
  async function zonedShowtime(): Promise<GivenShowtime> {
    const show = await givenShowtime(t, {
      hall: {
        rows: 3,
        cols: 6,
        disabledSeats: [],
        zones: [{ name: 'VIP', seats: VIP }],
        couples: [
          { row: 1, col: 1 },
          { row: 3, col: 5 },
        ],
      },
    });
    await t.http
      .patch(`${API}/schedules/${show.schedule.id}`)
      .set(show.merchant.auth)
      .send({ zonePrices: { VIP: 80 }, ticketTypes: [{ name: 'student', discount: 10 }] })
      .expect(200);
    return show;
  }

  function holdWith(user: GivenUser, body: object) {
    return t.http.post(`${API}/orders`).set(user.auth).send(body);
  }

  describe('halls', () => {
    it('should keep zones and couples, and refuse those that do not fit with 1002 naming the field', async () => {
      const merchant = await givenUser(t, 'merchant');
      const cinema = await givenCinema(t, { ownerId: merchant.user.id });
      const base = { cinemaId: cinema.id, rows: 4, cols: 6, disabledSeats: [{ row: 4, col: 6 }] };
      const created = await t.http
        .post(`${API}/halls`)
        .set(merchant.auth)
        .send({ ...base, name: unique('Zoned '), zones: [{ name: 'VIP', seats: VIP }], couples: [{ row: 2, col: 1 }] })
        .expect(201);
      expect(created.body.data).toMatchObject({ zones: [{ name: 'VIP', seats: VIP }], couples: [{ row: 2, col: 1 }] });

      const bad: [object, string][] = [
        [{ zones: [{ name: 'VIP', seats: [{ row: 5, col: 1 }] }] }, 'zones[0]'],
        [{ zones: [{ name: 'VIP', seats: [{ row: 4, col: 6 }] }] }, 'zones[0]'],
        [{ zones: [{ name: 'standard', seats: [{ row: 1, col: 1 }] }] }, 'zones[0]'],
        [
          {
            zones: [
              { name: 'A', seats: [{ row: 1, col: 1 }] },
              { name: 'B', seats: [{ row: 1, col: 1 }] },
            ],
          },
          'zones[1]',
        ],
        [
          {
            zones: [
              { name: 'A', seats: [] },
              { name: 'A', seats: [] },
            ],
          },
          'zones[1]',
        ],
        [{ zones: Array.from({ length: 11 }, (_, i) => ({ name: `Z${i}`, seats: [] })) }, 'zones'],
        [{ zones: [{ name: 'VIP', seats: VIP }], couples: [{ row: 1, col: 4 }] }, 'couples[0]'],
        [{ couples: [{ row: 1, col: 6 }] }, 'couples[0]'],
        [{ couples: [{ row: 4, col: 5 }] }, 'couples[0]'],
        [
          {
            couples: [
              { row: 2, col: 1 },
              { row: 2, col: 2 },
            ],
          },
          'couples[1]',
        ],
      ];
      for (const [extra, field] of bad) {
        const res = await t.http
          .post(`${API}/halls`)
          .set(merchant.auth)
          .send({ ...base, name: unique('Bad '), ...extra })
          .expect(400);
        expect(res.body.code).toBe(1002);
        expect(JSON.stringify(res.body.data)).toContain(field);
      }

      // A smaller grid strands the VIP seats of column 4: refused, unless the zones sent fit.
      const id = created.body.data.id as number;
      const shrink = await t.http.patch(`${API}/halls/${id}`).set(merchant.auth).send({ cols: 3, disabledSeats: [] });
      expect(shrink.status).toBe(400);
      expect(shrink.body.code).toBe(1002);
      const refit = await t.http
        .patch(`${API}/halls/${id}`)
        .set(merchant.auth)
        .send({ cols: 3, disabledSeats: [], zones: [{ name: 'VIP', seats: VIP.slice(0, 3) }] })
        .expect(200);
      expect(refit.body.data).toMatchObject({
        cols: 3,
        zones: [{ name: 'VIP', seats: VIP.slice(0, 3) }],
        couples: [{ row: 2, col: 1 }],
      });
    });
  });

  describe('showtimes and the seat map', () => {
    it('should price zones and ticket types, and refuse an unknown zone or a type under 0.01', async () => {
      const show = await zonedShowtime();
      const read = await t.http.get(`${API}/schedules/${show.schedule.id}`).expect(200);
      expect(read.body.data).toMatchObject({
        price: 45.5,
        zonePrices: { VIP: 80 },
        ticketTypes: [{ name: 'student', discount: 10 }],
      });
      for (const body of [
        { zonePrices: { Balcony: 50 } },
        { zonePrices: { standard: 50 } },
        { ticketTypes: [{ name: 'child', discount: 45.5 }] },
        {
          ticketTypes: [
            { name: 'a', discount: 1 },
            { name: 'a', discount: 2 },
          ],
        },
        { zonePrices: { VIP: 0 } },
        { zonePrices: { VIP: 10.001 } },
      ]) {
        const res = await t.http.patch(`${API}/schedules/${show.schedule.id}`).set(show.merchant.auth).send(body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe(1002);
      }
      // A lower base price that the student type would take under 0.01: refused too.
      const cheap = await t.http
        .patch(`${API}/schedules/${show.schedule.id}`)
        .set(show.merchant.auth)
        .send({ price: 10 });
      expect(cheap.body.code).toBe(1002);
    });

    it('should show each seat with its zone, price and pair, and the zones and ticket types', async () => {
      const show = await zonedShowtime();
      const map = (await t.http.get(`${API}/schedules/${show.schedule.id}/seats`).expect(200)).body.data;
      const at = (row: number, col: number) => map.seats[(row - 1) * 6 + (col - 1)];
      expect(at(1, 1)).toMatchObject({ zone: 'VIP', price: 80, pair: 'left' });
      expect(at(1, 2)).toMatchObject({ zone: 'VIP', price: 80, pair: 'right' });
      expect(at(1, 5)).toMatchObject({ zone: 'standard', price: 45.5, pair: null });
      expect(at(3, 6)).toMatchObject({ zone: 'standard', pair: 'right' });
      expect(map.zones).toEqual([
        { name: 'standard', price: 45.5 },
        { name: 'VIP', price: 80 },
      ]);
      expect(map.ticketTypes).toEqual([{ name: 'student', discount: 10 }]);
      // A price change reaches the map at once.
      await t.http
        .patch(`${API}/schedules/${show.schedule.id}`)
        .set(show.merchant.auth)
        .send({ zonePrices: { VIP: 90 } })
        .expect(200);
      const again = (await t.http.get(`${API}/schedules/${show.schedule.id}/seats`).expect(200)).body.data;
      expect(again.seats[0].price).toBe(90);
    });
  });

  describe('holds', () => {
    it('should price each seat by zone and ticket type, and keep the prices it was made with', async () => {
      const show = await zonedShowtime();
      const customer = await givenUser(t);
      const res = await holdWith(customer, {
        scheduleId: show.schedule.id,
        seats: [
          { row: 1, col: 3, ticketType: 'student' },
          { row: 2, col: 2 },
        ],
      }).expect(201);
      expect(res.body.data).toMatchObject({
        seats: [
          { row: 1, col: 3, zone: 'VIP', ticketType: 'student', price: 70 },
          { row: 2, col: 2, zone: 'standard', ticketType: null, price: 45.5 },
        ],
        amount: 115.5,
        discount: 0,
        voucherCode: null,
      });
      await t.http
        .patch(`${API}/schedules/${show.schedule.id}`)
        .set(show.merchant.auth)
        .send({ zonePrices: { VIP: 99 } })
        .expect(200);
      const order = await t.http.get(`${API}/orders/${res.body.data.id}`).set(customer.auth).expect(200);
      expect(order.body.data.amount).toBe(115.5);
      expect((await t.db.getRepository(Order).findOneByOrFail({ id: res.body.data.id })).amountCents).toBe(11550);
    });

    it('should answer 1002 to an unknown ticket type and 2011 to half a couple, holding nothing', async () => {
      const show = await zonedShowtime();
      const customer = await givenUser(t);
      const unknown = await holdWith(customer, {
        scheduleId: show.schedule.id,
        seats: [{ row: 2, col: 1, ticketType: 'pensioner' }],
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.code).toBe(1002);
      for (const seats of [
        [{ row: 1, col: 1 }],
        [{ row: 3, col: 6 }],
        [
          { row: 1, col: 2 },
          { row: 1, col: 3 },
        ],
      ]) {
        const half = await holdWith(customer, { scheduleId: show.schedule.id, seats });
        expect(half.status).toBe(409);
        expect(half.body.code).toBe(2011);
      }
      expect(await claimsOf(t.db, { scheduleId: show.schedule.id })).toEqual([]);
      const pair = await holdWith(customer, {
        scheduleId: show.schedule.id,
        seats: [
          { row: 3, col: 6 },
          { row: 3, col: 5 },
        ],
      });
      expect(pair.status).toBe(201);
    });

    it('should refuse a hold that strands a single seat when the cinema says so (2013), and only then', async () => {
      const show = await givenShowtime(t, { hall: { rows: 2, cols: 5, disabledSeats: [] } });
      const customer = await givenUser(t);
      const strand = { scheduleId: show.schedule.id, seats: [{ row: 1, col: 2 }] };
      await t.http
        .patch(`${API}/cinemas/${show.cinema.id}`)
        .set(show.merchant.auth)
        .send({ noSingleSeatGap: true })
        .expect(200);
      expect((await t.db.getRepository(Cinema).findOneByOrFail({ id: show.cinema.id })).noSingleSeatGap).toBe(true);
      const refused = await holdWith(customer, strand);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 2013, msg: expect.stringContaining('1-1') });
      // With the end seat too, nothing is stranded.
      await holdWith(customer, {
        scheduleId: show.schedule.id,
        seats: [
          { row: 1, col: 1 },
          { row: 1, col: 2 },
        ],
      }).expect(201);
      const other = await givenUser(t);
      const gap = await holdWith(other, { scheduleId: show.schedule.id, seats: [{ row: 1, col: 4 }] });
      expect(gap.body.code).toBe(2013);
      await holdWith(other, {
        scheduleId: show.schedule.id,
        seats: [
          { row: 1, col: 3 },
          { row: 1, col: 4 },
          { row: 1, col: 5 },
        ],
      }).expect(201);

      // Without the rule a gap may be left; with it back on, a seat that was alone already is no new gap.
      await t.http
        .patch(`${API}/cinemas/${show.cinema.id}`)
        .set(show.merchant.auth)
        .send({ noSingleSeatGap: false })
        .expect(200);
      await holdWith(customer, { scheduleId: show.schedule.id, seats: [{ row: 2, col: 2 }] }).expect(201);
      await t.http
        .patch(`${API}/cinemas/${show.cinema.id}`)
        .set(show.merchant.auth)
        .send({ noSingleSeatGap: true })
        .expect(200);
      await holdWith(other, {
        scheduleId: show.schedule.id,
        seats: [
          { row: 2, col: 3 },
          { row: 2, col: 4 },
          { row: 2, col: 5 },
        ],
      }).expect(201);
    });

    it('should let only one of two racing holds that would strand a seat together through (2013)', async () => {
      for (let round = 0; round < 5; round++) {
        const show = await givenShowtime(t, { hall: { rows: 1, cols: 5, disabledSeats: [] } });
        await t.http
          .patch(`${API}/cinemas/${show.cinema.id}`)
          .set(show.merchant.auth)
          .send({ noSingleSeatGap: true })
          .expect(200);
        const [left, right] = await Promise.all([givenUser(t), givenUser(t)]);
        // Each alone leaves no seat stranded; both together would strand 1-3.
        const answers = await Promise.all([
          holdWith(left, {
            scheduleId: show.schedule.id,
            seats: [
              { row: 1, col: 1 },
              { row: 1, col: 2 },
            ],
          }),
          holdWith(right, {
            scheduleId: show.schedule.id,
            seats: [
              { row: 1, col: 4 },
              { row: 1, col: 5 },
            ],
          }),
        ]);
        expect(answers.map((res) => res.status).sort()).toEqual([201, 409]);
        expect(answers.find((res) => res.status === 409)!.body.code).toBe(2013);
        expect(await claimsOf(t.db, { scheduleId: show.schedule.id })).toHaveLength(2);
      }
    });
  });

  describe('vouchers', () => {
    async function voucher(body: object): Promise<{ id: number; code: string }> {
      const res = await t.http
        .post(`${API}/vouchers`)
        .set(admin.auth)
        .send({ kind: 'amount', value: 10, maxUses: 100, ...body });
      if (res.status !== 201) throw new Error(`voucher: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data;
    }
    const seatsOf = (...cols: number[]): Seat[] => cols.map((col) => ({ row: 2, col }));

    it('should take an amount or a percent off, rounded half up to the fen, never under 0.01', async () => {
      const show = await zonedShowtime();
      const ten = await voucher({ code: unique('TEN').toUpperCase() });
      const off = await holdWith(await givenUser(t), {
        scheduleId: show.schedule.id,
        seats: seatsOf(1),
        voucherCode: ten.code.toLowerCase(),
      }).expect(201);
      expect(off.body.data).toMatchObject({ amount: 35.5, discount: 10, voucherCode: ten.code });

      const pct = await voucher({ kind: 'percent', value: 15 });
      const percent = await holdWith(await givenUser(t), {
        scheduleId: show.schedule.id,
        seats: seatsOf(2),
        voucherCode: pct.code,
      }).expect(201);
      // 15 % of 45.50 is 6.825: 6.83 off.
      expect(percent.body.data).toMatchObject({ amount: 38.67, discount: 6.83 });

      const huge = await voucher({ value: 1000 });
      const capped = await holdWith(await givenUser(t), {
        scheduleId: show.schedule.id,
        seats: seatsOf(3),
        voucherCode: huge.code,
      }).expect(201);
      expect(capped.body.data).toMatchObject({ amount: 0.01, discount: 45.49 });
      expect(await t.db.getRepository(Order).findOneByOrFail({ id: capped.body.data.id })).toMatchObject({
        amountCents: 1,
        discountCents: 4549,
        voucherId: huge.id,
        voucherCode: huge.code,
      });
    });

    it('should answer 2012 saying why a voucher does not apply, holding nothing', async () => {
      const show = await zonedShowtime();
      const other = await givenShowtime(t);
      const customer = await givenUser(t);
      const inactive = await voucher({});
      await t.http.patch(`${API}/vouchers/${inactive.id}`).set(admin.auth).send({ active: false }).expect(200);
      const cases: [string, string][] = [
        ['NOSUCHCODE', 'unknown'],
        [inactive.code, 'not active'],
        [(await voucher({ cinemaId: other.cinema.id })).code, 'another cinema'],
        [(await voucher({ movieId: other.movie.id })).code, 'another movie'],
        [(await voucher({ minSeats: 2 })).code, 'at least 2'],
        [
          (
            await voucher({
              validTo: new Date(Date.now() + 60_000).toISOString(),
              validFrom: new Date(Date.now() + 30_000).toISOString(),
            })
          ).code,
          'valid from',
        ],
      ];
      for (const [code, why] of cases) {
        const res = await holdWith(customer, { scheduleId: show.schedule.id, seats: seatsOf(4), voucherCode: code });
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ code: 2012, msg: expect.stringContaining(why) });
      }
      expect(await claimsOf(t.db, { scheduleId: show.schedule.id })).toEqual([]);
    });

    it('should count uses: used up, per customer, and given back by a cancel', async () => {
      const show = await zonedShowtime();
      const once = await voucher({ maxUses: 1 });
      const first = await givenUser(t);
      const second = await givenUser(t);
      const held = await holdWith(first, {
        scheduleId: show.schedule.id,
        seats: seatsOf(1),
        voucherCode: once.code,
      }).expect(201);
      const usedUp = await holdWith(second, {
        scheduleId: show.schedule.id,
        seats: seatsOf(2),
        voucherCode: once.code,
      });
      expect(usedUp.body).toMatchObject({ code: 2012, msg: expect.stringContaining('used up') });
      expect((await t.http.get(`${API}/vouchers/${once.id}`).set(admin.auth).expect(200)).body.data.uses).toBe(1);
      await t.http.post(`${API}/orders/${held.body.data.id}/cancel`).set(first.auth).expect(200);
      expect((await t.http.get(`${API}/vouchers/${once.id}`).set(admin.auth).expect(200)).body.data.uses).toBe(0);
      const taken = await holdWith(second, {
        scheduleId: show.schedule.id,
        seats: seatsOf(2),
        voucherCode: once.code,
      }).expect(201);
      await pay(t.http, second, taken.body.data.id).expect(200);
      expect((await t.http.get(`${API}/vouchers/${once.id}`).set(admin.auth).expect(200)).body.data.uses).toBe(1);

      const perUser = await voucher({ maxUses: 10, perUserMaxUses: 1 });
      await holdWith(first, { scheduleId: show.schedule.id, seats: seatsOf(3), voucherCode: perUser.code }).expect(201);
      const again = await holdWith(first, {
        scheduleId: show.schedule.id,
        seats: seatsOf(4),
        voucherCode: perUser.code,
      });
      expect(again.body).toMatchObject({ code: 2012, msg: expect.stringContaining('per customer') });
    });

    it('should let at most one of 20 racing holds take a voucher\u2019s last use', async () => {
      const show = await givenShowtime(t, { hall: { rows: 5, cols: 8 } });
      const last = await voucher({ maxUses: 1 });
      const customers = await Promise.all(Array.from({ length: 20 }, () => givenUser(t)));
      const answers = await Promise.all(
        customers.map((customer, i) =>
          holdWith(customer, {
            scheduleId: show.schedule.id,
            seats: [{ row: Math.floor(i / 8) + 1, col: (i % 8) + 1 }],
            voucherCode: last.code,
          }),
        ),
      );
      expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
      expect(answers.filter((res) => res.status === 409 && res.body.code === 2012)).toHaveLength(19);
      expect(await t.db.getRepository(Order).countBy({ voucherId: last.id })).toBe(1);
    });
  });
});
