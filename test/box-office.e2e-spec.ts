import type { Response } from 'superagent';
import { Movie } from '../src/catalog/entities/movie.entity';
import { addDays } from '../src/common/time';
import { Order } from '../src/ticketing/entities/order.entity';
import { addShowtime, givenOrder, givenShowtimeAt, reportYear } from './support/box-office';
import { givenCinema, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp, unique } from './support/test-app';

const BOM = '\uFEFF';

/** Supertest keeps a CSV body as raw bytes with this, so the BOM can be checked byte for byte. */
function rawBody(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('Box office (CONTRACT section 8)', () => {
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

  describe('GET /box-office/movies', () => {
    it('should total paid tickets and revenue per movie to the cent, refunds and unpaid orders excluded', async () => {
      const first = await givenShowtimeAt(t, `${day('01-10')}T19:00:00+08:00`, { priceCents: 4550 });
      const { cinema, merchant, movie } = first;
      await givenOrder(t, first.schedule, { status: 'paid', seats: 3 });
      await givenOrder(t, first.schedule, { status: 'paid', seats: 1, unitPriceCents: 3990 });
      await givenOrder(t, first.schedule, { status: 'refunded', seats: 2 });
      await givenOrder(t, first.schedule, { status: 'cancelled', seats: 1 });
      await givenOrder(t, first.schedule, { status: 'pending', seats: 2 });
      await givenOrder(t, first.schedule, { status: 'expired', seats: 1 });
      await addShowtime(t, cinema.id, `${day('01-11')}T10:00:00+08:00`, { movie, hall: first.hall });
      const other = await addShowtime(t, cinema.id, `${day('01-11')}T14:00:00+08:00`, { priceCents: 3333 });
      await givenOrder(t, other.schedule, { status: 'paid', seats: 5 });
      const outside = await addShowtime(t, cinema.id, `${day('01-12')}T14:00:00+08:00`, { movie, hall: first.hall });
      await givenOrder(t, outside.schedule, { status: 'paid', seats: 6 });
      const unsold = await addShowtime(t, cinema.id, `${day('01-10')}T09:00:00+08:00`, { seatCount: 0 });

      const res = await t.http
        .get('/api/v1/box-office/movies')
        .query({ from: day('01-10'), to: day('01-11'), cinemaId: cinema.id })
        .set(merchant.auth)
        .expect(200);

      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        data: [
          {
            movieId: movie.id,
            movieTitle: movie.title,
            scheduleCount: 2,
            ticketCount: 4,
            revenue: 176.4,
            discount: 0,
            seatCount: 80,
            occupancy: 0.05,
          },
          {
            movieId: other.movie.id,
            movieTitle: other.movie.title,
            scheduleCount: 1,
            ticketCount: 5,
            revenue: 166.65,
            discount: 0,
            seatCount: 40,
            occupancy: 0.125,
          },
          {
            movieId: unsold.movie.id,
            movieTitle: unsold.movie.title,
            scheduleCount: 1,
            ticketCount: 0,
            revenue: 0,
            discount: 0,
            seatCount: 0,
            occupancy: 0,
          },
        ],
      });
      const refunded = await t.db.getRepository(Order).findBy({ scheduleId: first.schedule.id, status: 'refunded' });
      expect(refunded.map((o) => o.amountCents)).toEqual([9100]);
    });

    it('should order equal revenue by movie id and round occupancy to 4 decimals', async () => {
      const first = await givenShowtimeAt(t, `${day('02-01')}T19:00:00+08:00`, { priceCents: 1000 });
      const second = await addShowtime(t, first.cinema.id, `${day('02-01')}T20:00:00+08:00`, {
        priceCents: 500,
        seatCount: 3,
      });
      await givenOrder(t, first.schedule, { status: 'paid', seats: 1 });
      await givenOrder(t, second.schedule, { status: 'paid', seats: 2 });

      const res = await t.http
        .get('/api/v1/box-office/movies')
        .query({ from: day('02-01'), to: day('02-01') })
        .set(first.merchant.auth)
        .expect(200);

      expect(res.body.data.map((r: { movieId: number }) => r.movieId)).toEqual(
        [first.movie.id, second.movie.id].sort((a, b) => a - b),
      );
      const firstRow = res.body.data.find((r: { movieId: number }) => r.movieId === first.movie.id);
      expect(firstRow).toMatchObject({ ticketCount: 1, revenue: 10, seatCount: 40, occupancy: 0.025 });
      const secondRow = res.body.data.find((r: { movieId: number }) => r.movieId === second.movie.id);
      expect(secondRow).toMatchObject({ ticketCount: 2, revenue: 10, seatCount: 3, occupancy: 0.6667 });
    });
  });

  describe('GET /box-office/daily', () => {
    it('should group by the local show day, late and early showtimes included, oldest first', async () => {
      const late = await givenShowtimeAt(t, `${day('03-10')}T23:30:00+08:00`, { priceCents: 4550 });
      const { cinema, merchant } = late;
      // 00:30 local on the 11th is still the 10th in UTC: it must count on the 11th.
      const early = await addShowtime(t, cinema.id, `${day('03-11')}T00:30:00+08:00`, { priceCents: 3990 });
      const quiet = await addShowtime(t, cinema.id, `${day('03-13')}T12:00:00+08:00`);
      await givenOrder(t, late.schedule, { status: 'paid', seats: 3 });
      await givenOrder(t, late.schedule, { status: 'refunded', seats: 1 });
      await givenOrder(t, early.schedule, { status: 'paid', seats: 1 });
      await givenOrder(t, quiet.schedule, { status: 'pending', seats: 2 });

      const res = await t.http
        .get('/api/v1/box-office/daily')
        .query({ from: day('03-01'), to: day('03-31'), cinemaId: cinema.id })
        .set(merchant.auth)
        .expect(200);

      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        data: [
          { date: day('03-10'), ticketCount: 3, revenue: 136.5 },
          { date: day('03-11'), ticketCount: 1, revenue: 39.9 },
          { date: day('03-13'), ticketCount: 0, revenue: 0 },
        ],
      });
    });

    it('should narrow to one movie, and answer 1014 for an unknown one', async () => {
      const first = await givenShowtimeAt(t, `${day('04-02')}T19:00:00+08:00`, { priceCents: 4550 });
      const other = await addShowtime(t, first.cinema.id, `${day('04-03')}T19:00:00+08:00`);
      await givenOrder(t, first.schedule, { status: 'paid', seats: 2 });
      await givenOrder(t, other.schedule, { status: 'paid', seats: 4 });
      const range = { from: day('04-01'), to: day('04-30'), cinemaId: first.cinema.id };

      const res = await t.http
        .get('/api/v1/box-office/daily')
        .query({ ...range, movieId: first.movie.id })
        .set(first.merchant.auth)
        .expect(200);
      expect(res.body.data).toEqual([{ date: day('04-02'), ticketCount: 2, revenue: 91 }]);

      const unknown = await t.http
        .get('/api/v1/box-office/daily')
        .query({ ...range, movieId: 2_000_000_000 })
        .set(first.merchant.auth)
        .expect(404);
      expect(unknown.body).toEqual({ code: 1014, msg: 'movie not found', data: null });
    });
  });

  describe('who sees what', () => {
    let mine: Awaited<ReturnType<typeof givenShowtimeAt>>;
    let mySecondCinemaMovie: Movie;
    let theirs: Awaited<ReturnType<typeof givenShowtimeAt>>;
    const range = { from: day('05-01'), to: day('05-31') };

    beforeAll(async () => {
      mine = await givenShowtimeAt(t, `${day('05-05')}T19:00:00+08:00`, { priceCents: 5000 });
      await givenOrder(t, mine.schedule, { status: 'paid', seats: 1 });
      const secondCinema = await givenCinema(t, { ownerId: mine.merchant.user.id });
      const second = await addShowtime(t, secondCinema.id, `${day('05-06')}T19:00:00+08:00`, { priceCents: 2000 });
      mySecondCinemaMovie = second.movie;
      await givenOrder(t, second.schedule, { status: 'paid', seats: 2 });
      theirs = await givenShowtimeAt(t, `${day('05-05')}T20:00:00+08:00`, { priceCents: 7000 });
      await givenOrder(t, theirs.schedule, { status: 'paid', seats: 1 });
    });

    it('should show a merchant without cinemaId all of its own cinemas and no one else’s', async () => {
      const res = await t.http.get('/api/v1/box-office/movies').query(range).set(mine.merchant.auth).expect(200);
      expect(res.body.data).toEqual([
        expect.objectContaining({ movieId: mine.movie.id, ticketCount: 1, revenue: 50 }),
        expect.objectContaining({ movieId: mySecondCinemaMovie.id, ticketCount: 2, revenue: 40 }),
      ]);
      const daily = await t.http.get('/api/v1/box-office/daily').query(range).set(mine.merchant.auth).expect(200);
      expect(daily.body.data).toEqual([
        { date: day('05-05'), ticketCount: 1, revenue: 50 },
        { date: day('05-06'), ticketCount: 2, revenue: 40 },
      ]);
    });

    it('should show an admin every cinema, or the one asked for', async () => {
      const all = await t.http.get('/api/v1/box-office/movies').query(range).set(admin.auth).expect(200);
      const ids = all.body.data.map((r: { movieId: number }) => r.movieId);
      expect(ids).toEqual(expect.arrayContaining([mine.movie.id, mySecondCinemaMovie.id, theirs.movie.id]));
      expect(ids.indexOf(theirs.movie.id)).toBeLessThan(ids.indexOf(mine.movie.id));

      const one = await t.http
        .get('/api/v1/box-office/daily')
        .query({ ...range, cinemaId: theirs.cinema.id })
        .set(admin.auth)
        .expect(200);
      expect(one.body.data).toEqual([{ date: day('05-05'), ticketCount: 1, revenue: 70 }]);
    });

    it('should answer 1013 to a merchant asking for another merchant’s cinema', async () => {
      for (const path of ['movies', 'daily']) {
        const res = await t.http
          .get(`/api/v1/box-office/${path}`)
          .query({ ...range, cinemaId: theirs.cinema.id })
          .set(mine.merchant.auth)
          .expect(403);
        expect(res.body).toEqual({ code: 1013, msg: expect.any(String), data: null });
      }
    });

    it('should answer 1014 for an unknown cinema', async () => {
      const res = await t.http
        .get('/api/v1/box-office/movies')
        .query({ ...range, cinemaId: 2_000_000_000 })
        .set(admin.auth)
        .expect(404);
      expect(res.body).toEqual({ code: 1014, msg: 'cinema not found', data: null });
    });

    it('should answer 1013 to a customer and 1007 without a token', async () => {
      const customer = await givenUser(t, 'customer');
      for (const path of ['movies', 'daily']) {
        const denied = await t.http.get(`/api/v1/box-office/${path}`).query(range).set(customer.auth).expect(403);
        expect(denied.body.code).toBe(1013);
        const anonymous = await t.http.get(`/api/v1/box-office/${path}`).query(range).expect(401);
        expect(anonymous.body.code).toBe(1007);
      }
    });
  });

  describe('day range', () => {
    const from = day('06-01');
    const cases: [string, Record<string, string | number>, string][] = [
      ['a missing from', { to: from }, 'from'],
      ['a missing to', { from }, 'to'],
      ['a reversed range', { from, to: addDays(from, -1) }, 'to'],
      ['a range over 366 days', { from, to: addDays(from, 367) }, 'to'],
      ['a day without leading zeros', { from: `${year}-6-1`, to: from }, 'from'],
      ['a day that does not exist', { from, to: `${year}-06-31` }, 'to'],
      ['a time instead of a day', { from: `${from}T00:00:00+08:00`, to: from }, 'from'],
      ['a cinemaId that is not a number', { from, to: from, cinemaId: 'abc' }, 'cinemaId'],
      ['an unknown format', { from, to: from, format: 'xml' }, 'format'],
      ['a movieId on the per-movie report', { from, to: from, movieId: 1 }, 'movieId'],
    ];

    it.each(cases)('should answer 1002 for %s', async (_, query, field) => {
      const res = await t.http.get('/api/v1/box-office/movies').query(query).set(admin.auth).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field })] });
    });

    it('should accept a range of exactly 366 days and a single day', async () => {
      const merchant = await givenUser(t, 'merchant');
      for (const to of [addDays(from, 366), from]) {
        const res = await t.http.get('/api/v1/box-office/daily').query({ from, to }).set(merchant.auth).expect(200);
        expect(res.body).toEqual({ code: 1000, msg: 'ok', data: [] });
      }
    });
  });

  describe('?format=csv', () => {
    it('should download the per-movie rows as CSV with a BOM, the JSON names as header, and quoted titles', async () => {
      const title = `流浪地球, the "终极" cut ${unique()}`;
      const first = await givenShowtimeAt(t, `${day('07-04')}T19:00:00+08:00`, {
        priceCents: 4550,
        movie: { title },
      });
      await givenOrder(t, first.schedule, { status: 'paid', seats: 3 });
      await givenOrder(t, first.schedule, { status: 'paid', seats: 1, unitPriceCents: 3990 });
      const query = { from: day('07-01'), to: day('07-31'), cinemaId: first.cinema.id };

      const res = await t.http
        .get('/api/v1/box-office/movies')
        .query({ ...query, format: 'csv' })
        .set(first.merchant.auth)
        .buffer(true)
        .parse(rawBody)
        .expect(200);

      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="box-office-movies_${query.from}_${query.to}_cinema-${first.cinema.id}.csv"`,
      );
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const quoted = `"${title.replace(/"/g, '""')}"`;
      expect(body.toString('utf8')).toBe(
        `${BOM}movieId,movieTitle,scheduleCount,ticketCount,revenue,discount,seatCount,occupancy\r\n` +
          `${first.movie.id},${quoted},1,4,176.4,0,40,0.1\r\n`,
      );
    });

    it('should download the daily rows as CSV, the same rows as the JSON', async () => {
      const first = await givenShowtimeAt(t, `${day('08-01')}T23:30:00+08:00`, { priceCents: 1999 });
      await addShowtime(t, first.cinema.id, `${day('08-03')}T10:00:00+08:00`);
      await givenOrder(t, first.schedule, { status: 'paid', seats: 2 });
      const query = { from: day('08-01'), to: day('08-31'), cinemaId: first.cinema.id };

      const json = await t.http.get('/api/v1/box-office/daily').query(query).set(admin.auth).expect(200);
      const csv = await t.http
        .get('/api/v1/box-office/daily')
        .query({ ...query, format: 'csv' })
        .set(admin.auth)
        .buffer(true)
        .parse(rawBody)
        .expect(200);

      expect(json.body.data).toEqual([
        { date: day('08-01'), ticketCount: 2, revenue: 39.98 },
        { date: day('08-03'), ticketCount: 0, revenue: 0 },
      ]);
      expect((csv.body as Buffer).toString('utf8')).toBe(
        `${BOM}date,ticketCount,revenue\r\n${day('08-01')},2,39.98\r\n${day('08-03')},0,0\r\n`,
      );
      expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="box-office-daily_.+\.csv"$/);
    });

    it('should answer an empty range with the header row only', async () => {
      const merchant = await givenUser(t, 'merchant');
      const res = await t.http
        .get('/api/v1/box-office/daily')
        .query({ from: day('09-01'), to: day('09-02'), format: 'csv' })
        .set(merchant.auth)
        .buffer(true)
        .parse(rawBody)
        .expect(200);
      expect((res.body as Buffer).toString('utf8')).toBe(`${BOM}date,ticketCount,revenue\r\n`);
    });
  });

  it('should document both reports as the JSON envelope or a text/csv download', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    for (const [path, model] of [
      ['movies', 'MovieBoxOfficeDto'],
      ['daily', 'DailyBoxOfficeDto'],
    ]) {
      const op = res.body.paths[`/api/v1/box-office/${path}`].get;
      expect(JSON.stringify(op.responses['200'].content['application/json'].schema)).toContain(model);
      expect(op.responses['200'].content['text/csv'].schema).toMatchObject({ type: 'string' });
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404']));
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['from', 'to', 'cinemaId', 'format']),
      );
    }
  });
});
