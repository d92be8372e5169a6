import type { Response } from 'superagent';
import { addDays } from '../src/common/time';
import { Order } from '../src/ticketing/entities/order.entity';
import { addShowtime, givenOrder, givenShowtimeAt, reportYear } from './support/box-office';
import { givenUser, GivenShowtime, GivenUser } from './support/factories';
import { API } from './support/ticketing';
import { bootTestApp, TestApp, unique } from './support/test-app';

const BOM = '\uFEFF';

/** Supertest keeps a CSV body as raw bytes with this, so the BOM can be checked byte for byte. */
function rawBody(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

type Seat = { row: number; col: number };

/** CONTRACT 13's box office: revenue after vouchers, the movies' discount, the zones and channels reports. */
describe('Box office by zone and channel (CONTRACT sections 8 and 13)', () => {
  let t: TestApp;
  let admin: GivenUser;
  const year = reportYear();
  const day = (monthDay: string) => `${year}-${monthDay}`;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await givenUser(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  /** A 3 × 6 hall, row 1 cols 1–4 zone VIP at 80 yuan, the other seats standard at 45.50. */
  async function zonedShowtimeAt(startsAt: string): Promise<GivenShowtime> {
    const show = await givenShowtimeAt(t, startsAt, {
      priceCents: 4550,
      hall: {
        rows: 3,
        cols: 6,
        disabledSeats: [],
        zones: [{ name: 'VIP', seats: [1, 2, 3, 4].map((col) => ({ row: 1, col })) }],
      },
    });
    await t.http
      .patch(`${API}/schedules/${show.schedule.id}`)
      .set(show.merchant.auth)
      .send({ zonePrices: { VIP: 80 } })
      .expect(200);
    return show;
  }

  /** A new customer holds the seats (with the voucher, if any) through the API and pays with mock. */
  async function buy(show: GivenShowtime, seats: Seat[], voucherCode?: string) {
    const customer = await givenUser(t, 'customer');
    const held = await t.http
      .post(`${API}/orders`)
      .set(customer.auth)
      .send({ scheduleId: show.schedule.id, seats, voucherCode })
      .expect(201);
    const paid = await t.http
      .post(`${API}/orders/${held.body.data.id}/pay`)
      .set(customer.auth)
      .send({ channel: 'mock' })
      .expect(200);
    return { customer, order: paid.body.data as { id: number; amount: number; discount: number } };
  }

  /**
   * Provider payments need the provider's signed notification; the channel is all the report reads,
   * so the test writes it on a paid mock order straight in the database.
   */
  const paidThrough = (orderId: number, paymentChannel: 'alipay' | 'wechat') =>
    t.db.getRepository(Order).update({ id: orderId }, { paymentChannel });

  describe('a zoned showtime sold with vouchers, through three channels', () => {
    let show: GivenShowtime;
    let legacy: Awaited<ReturnType<typeof addShowtime>>;
    const days = { from: day('03-01'), to: day('03-31') };
    const range = () => ({ ...days, cinemaId: show.cinema.id });

    beforeAll(async () => {
      show = await zonedShowtimeAt(`${day('03-10')}T19:00:00+08:00`);
      const voucher = await t.http
        .post(`${API}/vouchers`)
        .set(admin.auth)
        .send({ cinemaId: show.cinema.id, code: unique('BOX').toUpperCase(), kind: 'amount', value: 10, maxUses: 10 })
        .expect(201);
      const code = voucher.body.data.code as string;

      // VIP 80 + standard 45.50 - 10 = 115.50: VIP takes 80 × 115.5 / 125.5 = 73.625 → 73.63, standard 41.87.
      const mixed = await buy(
        show,
        [
          { row: 1, col: 1 },
          { row: 2, col: 1 },
        ],
        code,
      );
      expect(mixed.order).toMatchObject({ amount: 115.5, discount: 10 });
      // Two VIP seats, no voucher: 160, paid through Alipay.
      const vip = await buy(show, [
        { row: 1, col: 2 },
        { row: 1, col: 3 },
      ]);
      await paidThrough(vip.order.id, 'alipay');
      // Three standard seats less 10: 126.50, paid through WeChat Pay.
      const standard = await buy(
        show,
        [2, 3, 4].map((col) => ({ row: 2, col })),
        code,
      );
      expect(standard.order).toMatchObject({ amount: 126.5, discount: 10 });
      await paidThrough(standard.order.id, 'wechat');
      // Refunded (its voucher's discount with it) and unpaid orders count nowhere.
      const refunded = await buy(show, [{ row: 1, col: 4 }], code);
      await t.http.post(`${API}/orders/${refunded.order.id}/refund`).set(refunded.customer.auth).expect(200);
      const waiting = await givenUser(t, 'customer');
      await t.http
        .post(`${API}/orders`)
        .set(waiting.auth)
        .send({ scheduleId: show.schedule.id, seats: [{ row: 3, col: 1 }], voucherCode: code })
        .expect(201);
      // An order from before zones: its seats carry no zone or price; 2 × 39.90 in `standard`, paid with mock.
      legacy = await addShowtime(t, show.cinema.id, `${day('03-11')}T10:00:00+08:00`, { priceCents: 3990 });
      await givenOrder(t, legacy.schedule, { status: 'paid', seats: 2 });
    });

    it('should answer revenue after vouchers and the vouchers’ discount per movie', async () => {
      const res = await t.http.get(`${API}/box-office/movies`).query(range()).set(show.merchant.auth).expect(200);
      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        data: [
          {
            movieId: show.movie.id,
            movieTitle: show.movie.title,
            scheduleCount: 1,
            ticketCount: 7,
            revenue: 402,
            discount: 20,
            seatCount: 18,
            occupancy: 0.3889,
          },
          {
            movieId: legacy.movie.id,
            movieTitle: legacy.movie.title,
            scheduleCount: 1,
            ticketCount: 2,
            revenue: 79.8,
            discount: 0,
            seatCount: 40,
            occupancy: 0.05,
          },
        ],
      });
    });

    it('should split each order’s amount across its zones to the fen, highest revenue first', async () => {
      const res = await t.http.get(`${API}/box-office/zones`).query(range()).set(show.merchant.auth).expect(200);
      // standard: 41.87 + 126.50 + 79.80; VIP: 73.63 + 160.
      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        data: [
          { zone: 'standard', ticketCount: 6, revenue: 248.17 },
          { zone: 'VIP', ticketCount: 3, revenue: 233.63 },
        ],
      });
      // The zones add up to the movies report, to the fen.
      const movies = await t.http.get(`${API}/box-office/movies`).query(range()).set(admin.auth).expect(200);
      const sum = (rows: { revenue: number }[]) =>
        rows.reduce((cents, row) => cents + Math.round(row.revenue * 100), 0);
      expect(sum(res.body.data)).toBe(sum(movies.body.data));
    });

    it('should narrow the zones to one movie, and answer 1014 for an unknown movie', async () => {
      const one = await t.http
        .get(`${API}/box-office/zones`)
        .query({ ...range(), movieId: show.movie.id })
        .set(admin.auth)
        .expect(200);
      expect(one.body.data).toEqual([
        { zone: 'VIP', ticketCount: 3, revenue: 233.63 },
        { zone: 'standard', ticketCount: 4, revenue: 168.37 },
      ]);
      const old = await t.http
        .get(`${API}/box-office/zones`)
        .query({ ...range(), movieId: legacy.movie.id })
        .set(show.merchant.auth)
        .expect(200);
      expect(old.body.data).toEqual([{ zone: 'standard', ticketCount: 2, revenue: 79.8 }]);
      const unknown = await t.http
        .get(`${API}/box-office/zones`)
        .query({ ...range(), movieId: 2_000_000_000 })
        .set(admin.auth)
        .expect(404);
      expect(unknown.body).toEqual({ code: 1014, msg: 'movie not found', data: null });
    });

    it('should total tickets and revenue per payment channel, highest revenue first', async () => {
      const res = await t.http.get(`${API}/box-office/channels`).query(range()).set(show.merchant.auth).expect(200);
      // mock: 115.50 + 79.80; alipay: 160; wechat: 126.50.
      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        data: [
          { channel: 'mock', ticketCount: 4, revenue: 195.3 },
          { channel: 'alipay', ticketCount: 2, revenue: 160 },
          { channel: 'wechat', ticketCount: 3, revenue: 126.5 },
        ],
      });
    });

    it('should show the merchant its own cinemas without cinemaId, and an admin the cinema asked for', async () => {
      for (const path of ['zones', 'channels']) {
        const own = await t.http.get(`${API}/box-office/${path}`).query(days).set(show.merchant.auth).expect(200);
        const asked = await t.http.get(`${API}/box-office/${path}`).query(range()).set(admin.auth).expect(200);
        expect(own.body.data).toEqual(asked.body.data);
        expect(own.body.data).toHaveLength(path === 'zones' ? 2 : 3);
        // Another merchant sees none of it, and may not name the cinema.
        const other = await givenUser(t, 'merchant');
        const theirs = await t.http.get(`${API}/box-office/${path}`).query(days).set(other.auth).expect(200);
        expect(theirs.body).toEqual({ code: 1000, msg: 'ok', data: [] });
        const denied = await t.http.get(`${API}/box-office/${path}`).query(range()).set(other.auth).expect(403);
        expect(denied.body).toEqual({ code: 1013, msg: expect.any(String), data: null });
      }
    });

    it('should download the zones and channels as CSV, the same rows as the JSON', async () => {
      const zones = await t.http
        .get(`${API}/box-office/zones`)
        .query({ ...range(), format: 'csv' })
        .set(show.merchant.auth)
        .buffer(true)
        .parse(rawBody)
        .expect(200);
      expect(zones.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(zones.headers['content-disposition']).toBe(
        `attachment; filename="box-office-zones_${day('03-01')}_${day('03-31')}_cinema-${show.cinema.id}.csv"`,
      );
      const body = zones.body as Buffer;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(body.toString('utf8')).toBe(`${BOM}zone,ticketCount,revenue\r\nstandard,6,248.17\r\nVIP,3,233.63\r\n`);

      const channels = await t.http
        .get(`${API}/box-office/channels`)
        .query({ ...range(), format: 'csv' })
        .set(admin.auth)
        .buffer(true)
        .parse(rawBody)
        .expect(200);
      expect(channels.headers['content-disposition']).toBe(
        `attachment; filename="box-office-channels_${day('03-01')}_${day('03-31')}_cinema-${show.cinema.id}.csv"`,
      );
      expect((channels.body as Buffer).toString('utf8')).toBe(
        `${BOM}channel,ticketCount,revenue\r\nmock,4,195.3\r\nalipay,2,160\r\nwechat,3,126.5\r\n`,
      );

      const movies = await t.http
        .get(`${API}/box-office/movies`)
        .query({ ...range(), format: 'csv' })
        .set(admin.auth)
        .buffer(true)
        .parse(rawBody)
        .expect(200);
      expect((movies.body as Buffer).toString('utf8')).toBe(
        `${BOM}movieId,movieTitle,scheduleCount,ticketCount,revenue,discount,seatCount,occupancy\r\n` +
          `${show.movie.id},${show.movie.title},1,7,402,20,18,0.3889\r\n` +
          `${legacy.movie.id},${legacy.movie.title},1,2,79.8,0,40,0.05\r\n`,
      );
    });
  });

  describe('equal revenue', () => {
    it('should order equal zones and channels by name, and defuse a zone name a spreadsheet would run', async () => {
      const show = await givenShowtimeAt(t, `${day('04-05')}T19:00:00+08:00`, { priceCents: 2000 });
      const orders = [
        await givenOrder(t, show.schedule, { status: 'paid', seats: 1 }),
        await givenOrder(t, show.schedule, { status: 'paid', seats: 1 }),
        await givenOrder(t, show.schedule, { status: 'paid', seats: 1 }),
      ];
      // Zone names as a hall might hold them, written into the sold seats; channels as providers leave them.
      const zones = ['b', '@Balcony, "east"', 'a'];
      for (const [i, order] of orders.entries()) {
        const seats = order.seats.map((seat) => ({ ...seat, zone: zones[i], ticketType: null, priceCents: 2000 }));
        await t.db.getRepository(Order).update({ id: order.id }, { seats });
      }
      await paidThrough(orders[0].id, 'wechat');
      await paidThrough(orders[2].id, 'alipay');
      const range = { from: day('04-05'), to: day('04-05') };

      const byZone = await t.http.get(`${API}/box-office/zones`).query(range).set(show.merchant.auth).expect(200);
      expect(byZone.body.data).toEqual([
        { zone: '@Balcony, "east"', ticketCount: 1, revenue: 20 },
        { zone: 'a', ticketCount: 1, revenue: 20 },
        { zone: 'b', ticketCount: 1, revenue: 20 },
      ]);
      const byChannel = await t.http.get(`${API}/box-office/channels`).query(range).set(show.merchant.auth).expect(200);
      expect(byChannel.body.data).toEqual([
        { channel: 'alipay', ticketCount: 1, revenue: 20 },
        { channel: 'mock', ticketCount: 1, revenue: 20 },
        { channel: 'wechat', ticketCount: 1, revenue: 20 },
      ]);
      const csv = await t.http
        .get(`${API}/box-office/zones`)
        .query({ ...range, format: 'csv' })
        .set(show.merchant.auth)
        .buffer(true)
        .parse(rawBody)
        .expect(200);
      expect((csv.body as Buffer).toString('utf8')).toBe(
        `${BOM}zone,ticketCount,revenue\r\n"'@Balcony, ""east""",1,20\r\na,1,20\r\nb,1,20\r\n`,
      );
    });
  });

  describe('who may ask, and the day range', () => {
    it('should answer 1013 to a customer, 1007 without a token and 1014 for an unknown cinema', async () => {
      const customer = await givenUser(t, 'customer');
      const range = { from: day('05-01'), to: day('05-31') };
      for (const path of ['zones', 'channels']) {
        const denied = await t.http.get(`${API}/box-office/${path}`).query(range).set(customer.auth).expect(403);
        expect(denied.body.code).toBe(1013);
        const anonymous = await t.http.get(`${API}/box-office/${path}`).query(range).expect(401);
        expect(anonymous.body.code).toBe(1007);
        const unknown = await t.http
          .get(`${API}/box-office/${path}`)
          .query({ ...range, cinemaId: 2_000_000_000 })
          .set(admin.auth)
          .expect(404);
        expect(unknown.body).toEqual({ code: 1014, msg: 'cinema not found', data: null });
      }
    });

    const from = day('06-01');
    const cases: [string, string, Record<string, string | number>, string][] = [
      ['zones', 'a missing from', { to: from }, 'from'],
      ['channels', 'a missing to', { from }, 'to'],
      ['zones', 'a reversed range', { from, to: addDays(from, -1) }, 'to'],
      ['channels', 'a range over 366 days', { from, to: addDays(from, 367) }, 'to'],
      ['zones', 'a day that does not exist', { from, to: `${year}-06-31` }, 'to'],
      ['channels', 'a time instead of a day', { from: `${from}T00:00:00+08:00`, to: from }, 'from'],
      ['zones', 'a movieId that is not a number', { from, to: from, movieId: 'abc' }, 'movieId'],
      ['channels', 'a movieId (channels take none)', { from, to: from, movieId: 1 }, 'movieId'],
      ['zones', 'an unknown format', { from, to: from, format: 'xml' }, 'format'],
    ];

    it.each(cases)('should answer 1002 on %s for %s', async (path, _, query, field) => {
      const res = await t.http.get(`${API}/box-office/${path}`).query(query).set(admin.auth).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field })] });
    });

    it('should accept a range of exactly 366 days, and answer an empty one with the header row only', async () => {
      const merchant = await givenUser(t, 'merchant');
      for (const path of ['zones', 'channels']) {
        const res = await t.http
          .get(`${API}/box-office/${path}`)
          .query({ from, to: addDays(from, 366) })
          .set(merchant.auth)
          .expect(200);
        expect(res.body).toEqual({ code: 1000, msg: 'ok', data: [] });
      }
      const csv = await t.http
        .get(`${API}/box-office/channels`)
        .query({ from, to: from, format: 'csv' })
        .set(merchant.auth)
        .buffer(true)
        .parse(rawBody)
        .expect(200);
      expect((csv.body as Buffer).toString('utf8')).toBe(`${BOM}channel,ticketCount,revenue\r\n`);
    });
  });

  it('should document both new reports as the JSON envelope or a text/csv download', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    for (const [path, model, params] of [
      ['zones', 'ZoneBoxOfficeDto', ['from', 'to', 'cinemaId', 'movieId', 'format']],
      ['channels', 'ChannelBoxOfficeDto', ['from', 'to', 'cinemaId', 'format']],
    ] as const) {
      const op = res.body.paths[`/api/v1/box-office/${path}`].get;
      expect(JSON.stringify(op.responses['200'].content['application/json'].schema)).toContain(model);
      expect(op.responses['200'].content['text/csv'].schema).toMatchObject({ type: 'string' });
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404']));
      const names = op.parameters.map((p: { name: string }) => p.name);
      expect(names).toEqual(expect.arrayContaining([...params]));
      expect(names.includes('movieId')).toBe(path === 'zones');
    }
    expect(res.body.components.schemas.MovieBoxOfficeDto.required).toContain('discount');
  });
});
