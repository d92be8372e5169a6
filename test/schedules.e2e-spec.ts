import { Schedule } from '../src/schedules/entities/schedule.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { givenCinema, givenHall, givenMovie, givenUser, GivenUser } from './support/factories';
import { claimSeat, givenOwnedCinema, insertShowtime, shanghai } from './support/scheduling';
import { bootTestApp, TestApp } from './support/test-app';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('Showtimes (CONTRACT section 6)', () => {
  let t: TestApp;
  let admin: GivenUser;
  let customer: GivenUser;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await givenUser(t, 'admin');
    customer = await givenUser(t, 'customer');
  });

  afterAll(async () => {
    await t.close();
  });

  const scheduleRow = (id: number) => t.db.getRepository(Schedule).findOneBy({ id });
  const countInHall = (hallId: number) => t.db.getRepository(Schedule).countBy({ hallId });

  /** A merchant's cinema with one 5×8 hall (one seat disabled) and a 120-minute movie. */
  async function givenScene() {
    const owned = await givenOwnedCinema(t);
    const hall = await givenHall(t, owned.cinema.id, { disabledSeats: [{ row: 1, col: 1 }], seatCount: 39 });
    const movie = await givenMovie(t, { durationMinutes: 120 });
    return { ...owned, hall, movie };
  }

  describe('POST /schedules', () => {
    it('should schedule a movie: ends after its duration, priced in yuan, on its local day', async () => {
      const { merchant, cinema, hall, movie } = await givenScene();
      const body = { movieId: movie.id, hallId: hall.id, startsAt: shanghai('2031-03-10 23:30'), price: 45.5 };
      const res = await t.http.post('/api/v1/schedules').set(merchant.auth).send(body).expect(201);
      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        data: {
          id: expect.any(Number),
          movieId: movie.id,
          movieTitle: movie.title,
          hallId: hall.id,
          hallName: hall.name,
          cinemaId: cinema.id,
          cinemaName: cinema.name,
          startsAt: '2031-03-10T15:30:00.000Z',
          endsAt: '2031-03-10T17:30:00.000Z',
          price: 45.5,
          seatCount: 39,
          soldCount: 0,
          zonePrices: {},
          ticketTypes: [],
        },
      });
      expect(await scheduleRow(res.body.data.id)).toMatchObject({
        cinemaId: cinema.id,
        showDate: '2031-03-10',
        priceCents: 4550,
        seatCount: 39,
        soldCount: 0,
        endsAt: new Date('2031-03-10T17:30:00.000Z'),
      });
    });

    it('should let an admin schedule in any cinema', async () => {
      const { hall, movie } = await givenScene();
      const body = { movieId: movie.id, hallId: hall.id, startsAt: shanghai('2031-03-10 10:00'), price: 30 };
      await t.http.post('/api/v1/schedules').set(admin.auth).send(body).expect(201);
    });

    it('should refuse another merchant and a customer with 1013; unknown hall or movie 1014', async () => {
      const { hall, movie } = await givenScene();
      const other = await givenUser(t, 'merchant');
      const body = { movieId: movie.id, hallId: hall.id, startsAt: shanghai('2031-03-10 10:00'), price: 30 };
      expect((await t.http.post('/api/v1/schedules').set(other.auth).send(body).expect(403)).body.code).toBe(1013);
      expect((await t.http.post('/api/v1/schedules').set(customer.auth).send(body).expect(403)).body.code).toBe(1013);
      const noHall = { ...body, hallId: 999_999_999 };
      expect((await t.http.post('/api/v1/schedules').set(admin.auth).send(noHall).expect(404)).body.code).toBe(1014);
      const noMovie = { ...body, movieId: 999_999_999 };
      expect((await t.http.post('/api/v1/schedules').set(admin.auth).send(noMovie).expect(404)).body.code).toBe(1014);
      const gone = await givenHall(t, hall.cinemaId, { deletedAt: new Date() });
      const deleted = { ...body, hallId: gone.id };
      expect((await t.http.post('/api/v1/schedules').set(admin.auth).send(deleted).expect(404)).body.code).toBe(1014);
      expect(await countInHall(hall.id)).toBe(0);
    });

    it.each([
      ['startsAt', { startsAt: '2031-03-10T10:00:00' }],
      ['startsAt', { startsAt: 'tomorrow' }],
      ['price', { price: 0 }],
      ['price', { price: -5 }],
      ['price', { price: 45.555 }],
      ['price', { price: '45' }],
      ['movieId', { movieId: undefined }],
      ['hallId', { hallId: 'one' }],
      ['endsAt', { endsAt: '2031-03-10T12:00:00+08:00' }],
    ])('should answer 1002 naming %s for bad input', async (field, fields) => {
      const { merchant, hall, movie } = await givenScene();
      const body = { movieId: movie.id, hallId: hall.id, startsAt: shanghai('2031-03-10 10:00'), price: 30, ...fields };
      const res = await t.http.post('/api/v1/schedules').set(merchant.auth).send(body).expect(400);
      expect(res.body.code).toBe(1002);
      expect(res.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await countInHall(hall.id)).toBe(0);
    });

    it('should answer 2002 for a start in the past', async () => {
      const { merchant, hall, movie } = await givenScene();
      const startsAt = new Date(Date.now() - MINUTE).toISOString();
      const res = await t.http
        .post('/api/v1/schedules')
        .set(merchant.auth)
        .send({ movieId: movie.id, hallId: hall.id, startsAt, price: 30 })
        .expect(400);
      expect(res.body).toMatchObject({ code: 2002, data: null });
      expect(await countInHall(hall.id)).toBe(0);
    });

    it('should answer 1002 on startsAt for a day the movie is off or not yet released', async () => {
      const { merchant, hall } = await givenScene();
      const movie = await givenMovie(t, { releaseDate: '2031-03-01', offDate: '2031-03-10' });
      const post = (local: string) =>
        t.http
          .post('/api/v1/schedules')
          .set(merchant.auth)
          .send({ movieId: movie.id, hallId: hall.id, startsAt: shanghai(local), price: 30 });
      const off = await post('2031-03-11 00:30').expect(400);
      expect(off.body).toMatchObject({
        code: 1002,
        data: [{ field: 'startsAt', message: expect.stringMatching(/off/) }],
      });
      const early = await post('2031-02-28 23:30').expect(400);
      expect(early.body.data).toEqual([
        { field: 'startsAt', message: expect.stringMatching(/released on 2031-03-01/) },
      ]);
      await post('2031-03-10 21:00').expect(201);
      await post('2031-03-01 09:00').expect(201);
      expect(await countInHall(hall.id)).toBe(2);
    });

    describe('overlap in one hall, counting 15 minutes of cleaning after each showtime', () => {
      let scene: Awaited<ReturnType<typeof givenScene>>;

      beforeAll(async () => {
        scene = await givenScene();
        // 14:00–16:00, cleaning until 16:15
        await insertShowtime(t, scene.hall, scene.movie, new Date(shanghai('2031-04-01 14:00')));
      });

      const post = (local: string, hallId = scene.hall.id) =>
        t.http
          .post('/api/v1/schedules')
          .set(scene.merchant.auth)
          .send({ movieId: scene.movie.id, hallId, startsAt: shanghai(local), price: 40 });

      it.each([
        ['starting inside it', '2031-04-01 15:00'],
        ['starting at the same time', '2031-04-01 14:00'],
        ['starting during its cleaning', '2031-04-01 16:14'],
        ['whose own cleaning runs into its start', '2031-04-01 11:46'],
        ['enclosing it', '2031-04-01 13:00'],
      ])('should answer 2001 for a showtime %s', async (_, local) => {
        const res = await post(local).expect(409);
        expect(res.body).toMatchObject({ code: 2001, data: null });
        expect(await countInHall(scene.hall.id)).toBe(1);
      });

      it('should accept showtimes that just fit around it, and the same slot in another hall', async () => {
        await post('2031-04-01 16:15').expect(201);
        await post('2031-04-01 11:45').expect(201);
        const otherHall = await givenHall(t, scene.cinema.id);
        await post('2031-04-01 14:00', otherHall.id).expect(201);
        expect(await countInHall(scene.hall.id)).toBe(3);
      });
    });

    it('should let exactly one of ten racing requests take one slot', async () => {
      // A few rounds: without the hall lock, one round alone slips through now and then on MySQL.
      for (let round = 0; round < 3; round++) {
        const { merchant, hall, movie } = await givenScene();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            t.http
              .post('/api/v1/schedules')
              .set(merchant.auth)
              // Different starts inside one slot, so that nothing but the overlap rule can separate them.
              .send({ movieId: movie.id, hallId: hall.id, startsAt: shanghai(`2031-05-01 19:${30 + i}`), price: 50 }),
          ),
        );
        expect(results.filter((r) => r.status === 201)).toHaveLength(1);
        expect(results.filter((r) => r.status === 409 && r.body.code === 2001)).toHaveLength(9);
        expect(await countInHall(hall.id)).toBe(1);
      }
    });
  });

  describe('GET /schedules', () => {
    it('should list showtimes soonest first with total, filtered by movie, cinema, hall and page', async () => {
      const { cinema, hall, movie } = await givenScene();
      const secondHall = await givenHall(t, cinema.id);
      const otherMovie = await givenMovie(t);
      const later = await insertShowtime(t, hall, movie, new Date(Date.now() + 30 * HOUR), { soldCount: 3 });
      const sooner = await insertShowtime(t, secondHall, movie, new Date(Date.now() + 5 * HOUR));
      const otherFilm = await insertShowtime(t, hall, otherMovie, new Date(Date.now() + 10 * HOUR));

      const byCinema = await t.http.get(`/api/v1/schedules?cinemaId=${cinema.id}`).expect(200);
      expect(byCinema.body.total).toBe(3);
      expect(byCinema.body.data.map((s: { id: number }) => s.id)).toEqual([sooner.id, otherFilm.id, later.id]);
      expect(byCinema.body.data[2]).toEqual({
        id: later.id,
        movieId: movie.id,
        movieTitle: movie.title,
        hallId: hall.id,
        hallName: hall.name,
        cinemaId: cinema.id,
        cinemaName: cinema.name,
        startsAt: later.startsAt.toISOString(),
        endsAt: later.endsAt.toISOString(),
        price: 40,
        seatCount: 39,
        soldCount: 3,
        zonePrices: {},
        ticketTypes: [],
      });

      const byMovie = await t.http.get(`/api/v1/schedules?movieId=${movie.id}`).expect(200);
      expect(byMovie.body.data.map((s: { id: number }) => s.id)).toEqual([sooner.id, later.id]);
      const byHall = await t.http.get(`/api/v1/schedules?hallId=${hall.id}&movieId=${movie.id}`).expect(200);
      expect(byHall.body).toMatchObject({ total: 1, data: [{ id: later.id }] });
      const page = await t.http.get(`/api/v1/schedules?cinemaId=${cinema.id}&page=2&pageSize=2`).expect(200);
      expect(page.body).toMatchObject({ total: 3, data: [{ id: later.id }] });
    });

    it('should leave out ended showtimes without a date, but keep a running one', async () => {
      const { cinema, hall, movie } = await givenScene();
      await insertShowtime(t, hall, movie, new Date(Date.now() - 3 * HOUR));
      const running = await insertShowtime(t, hall, movie, new Date(Date.now() - HOUR));
      const res = await t.http.get(`/api/v1/schedules?cinemaId=${cinema.id}`).expect(200);
      expect(res.body).toMatchObject({ total: 1, data: [{ id: running.id }] });
    });

    it('should filter by the local day, a 23:30 Shanghai showtime included on its own day', async () => {
      const { cinema, hall, movie } = await givenScene();
      const late = await insertShowtime(t, hall, movie, new Date(shanghai('2031-06-10 23:30')));
      const morning = await insertShowtime(t, hall, movie, new Date(shanghai('2031-06-10 08:00')));
      const afterMidnight = await insertShowtime(t, hall, movie, new Date(shanghai('2031-06-11 02:00')));
      const day = (date: string) => t.http.get(`/api/v1/schedules?cinemaId=${cinema.id}&date=${date}`).expect(200);

      expect((await day('2031-06-10')).body).toMatchObject({ total: 2, data: [{ id: morning.id }, { id: late.id }] });
      // 02:00 in Shanghai is still June 10 in UTC: the local day decides.
      expect((await day('2031-06-11')).body).toMatchObject({ total: 1, data: [{ id: afterMidnight.id }] });
      expect((await day('2031-06-09')).body).toMatchObject({ total: 0, data: [] });
    });

    it('should list the ended showtimes of a past day', async () => {
      const { cinema, hall, movie } = await givenScene();
      const past = await insertShowtime(t, hall, movie, new Date(Date.now() - 50 * HOUR));
      const res = await t.http.get(`/api/v1/schedules?cinemaId=${cinema.id}&date=${past.showDate}`).expect(200);
      expect(res.body).toMatchObject({ total: 1, data: [{ id: past.id }] });
    });

    it('should hide showtimes of suspended cinemas and deleted halls', async () => {
      const { merchant } = await givenOwnedCinema(t);
      const suspended = await givenCinema(t, { ownerId: merchant.user.id, status: 'suspended' });
      const movie = await givenMovie(t);
      await insertShowtime(t, await givenHall(t, suspended.id), movie, new Date(Date.now() + 5 * HOUR));
      const active = await givenCinema(t);
      const gone = await givenHall(t, active.id, { deletedAt: new Date() });
      await insertShowtime(t, gone, movie, new Date(Date.now() + 5 * HOUR));
      const kept = await insertShowtime(t, await givenHall(t, active.id), movie, new Date(Date.now() + 6 * HOUR));
      const res = await t.http.get(`/api/v1/schedules?movieId=${movie.id}`).expect(200);
      expect(res.body).toMatchObject({ total: 1, data: [{ id: kept.id }] });
    });

    it.each([
      ['date', 'date=2031-6-1'],
      ['movieId', 'movieId=abc'],
      ['pageSize', 'pageSize=101'],
    ])('should answer 1002 naming %s for a bad query', async (field, query) => {
      const res = await t.http.get(`/api/v1/schedules?${query}`).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field })] });
    });
  });

  describe('GET /schedules/:id', () => {
    it('should show one showtime to anyone; unknown 1014, bad id 1002', async () => {
      const { hall, movie } = await givenScene();
      const schedule = await insertShowtime(t, hall, movie, new Date(Date.now() + 5 * HOUR), { priceCents: 3999 });
      const res = await t.http.get(`/api/v1/schedules/${schedule.id}`).expect(200);
      expect(res.body.data).toMatchObject({
        id: schedule.id,
        price: 39.99,
        hallName: hall.name,
        movieTitle: movie.title,
      });
      expect((await t.http.get('/api/v1/schedules/999999999').expect(404)).body.code).toBe(1014);
      expect((await t.http.get('/api/v1/schedules/0').expect(400)).body.code).toBe(1002);
    });
  });

  describe('PATCH /schedules/:id', () => {
    it('should move a showtime in time, recomputing its end and local day', async () => {
      const { merchant, hall, movie } = await givenScene();
      const schedule = await insertShowtime(t, hall, movie, new Date(shanghai('2031-07-01 14:00')));
      const res = await t.http
        .patch(`/api/v1/schedules/${schedule.id}`)
        .set(merchant.auth)
        .send({ startsAt: shanghai('2031-07-02 00:15') })
        .expect(200);
      expect(res.body.data).toMatchObject({ startsAt: '2031-07-01T16:15:00.000Z', endsAt: '2031-07-01T18:15:00.000Z' });
      expect(await scheduleRow(schedule.id)).toMatchObject({ showDate: '2031-07-02', priceCents: 4000 });
    });

    it('should allow a move that overlaps only its own old slot', async () => {
      const { merchant, hall, movie } = await givenScene();
      const schedule = await insertShowtime(t, hall, movie, new Date(shanghai('2031-07-01 14:00')));
      await t.http
        .patch(`/api/v1/schedules/${schedule.id}`)
        .set(merchant.auth)
        .send({ startsAt: shanghai('2031-07-01 14:30') })
        .expect(200);
    });

    it('should move a showtime to another hall of its cinema, taking that seat count', async () => {
      const { merchant, cinema, hall, movie } = await givenScene();
      const bigger = await givenHall(t, cinema.id, { rows: 10, cols: 10, seatCount: 100 });
      const schedule = await insertShowtime(t, hall, movie, new Date(shanghai('2031-07-01 14:00')));
      const res = await t.http
        .patch(`/api/v1/schedules/${schedule.id}`)
        .set(merchant.auth)
        .send({ hallId: bigger.id })
        .expect(200);
      expect(res.body.data).toMatchObject({ hallId: bigger.id, hallName: bigger.name, seatCount: 100 });
      expect(await scheduleRow(schedule.id)).toMatchObject({ hallId: bigger.id, seatCount: 100 });
    });

    it('should refuse a hall of another cinema with 1002 and an unknown hall with 1014', async () => {
      const { merchant, hall, movie } = await givenScene();
      const elsewhere = await givenHall(t, (await givenCinema(t, { ownerId: merchant.user.id })).id);
      const schedule = await insertShowtime(t, hall, movie, new Date(shanghai('2031-07-01 14:00')));
      const moved = await t.http
        .patch(`/api/v1/schedules/${schedule.id}`)
        .set(merchant.auth)
        .send({ hallId: elsewhere.id })
        .expect(400);
      expect(moved.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field: 'hallId' })] });
      const unknown = await t.http
        .patch(`/api/v1/schedules/${schedule.id}`)
        .set(merchant.auth)
        .send({ hallId: 999_999_999 })
        .expect(404);
      expect(unknown.body.code).toBe(1014);
      expect((await scheduleRow(schedule.id))?.hallId).toBe(hall.id);
    });

    it('should apply the overlap and past rules to a move', async () => {
      const { merchant, cinema, hall, movie } = await givenScene();
      const schedule = await insertShowtime(t, hall, movie, new Date(shanghai('2031-07-01 10:00')));
      await insertShowtime(t, hall, movie, new Date(shanghai('2031-07-01 14:00')));
      const otherHall = await givenHall(t, cinema.id);
      await insertShowtime(t, otherHall, movie, new Date(shanghai('2031-07-01 10:00')));
      const patch = (body: object) => t.http.patch(`/api/v1/schedules/${schedule.id}`).set(merchant.auth).send(body);

      expect((await patch({ startsAt: shanghai('2031-07-01 12:00') }).expect(409)).body.code).toBe(2001);
      expect((await patch({ hallId: otherHall.id }).expect(409)).body.code).toBe(2001);
      const past = new Date(Date.now() - HOUR).toISOString();
      expect((await patch({ startsAt: past }).expect(400)).body.code).toBe(2002);
      expect(await scheduleRow(schedule.id)).toMatchObject({
        hallId: hall.id,
        startsAt: new Date(shanghai('2031-07-01 10:00')),
      });
      await patch({ startsAt: shanghai('2031-07-01 11:45') }).expect(200);
    });

    it('should change the price for new orders only, even after sales', async () => {
      const { merchant, hall, movie } = await givenScene();
      const schedule = await insertShowtime(t, hall, movie, new Date(Date.now() + 24 * HOUR));
      await claimSeat(t, schedule, { row: 2, col: 2 });
      const res = await t.http
        .patch(`/api/v1/schedules/${schedule.id}`)
        .set(merchant.auth)
        .send({ price: 55.8 })
        .expect(200);
      expect(res.body.data).toMatchObject({ price: 55.8, soldCount: 1 });
      expect((await scheduleRow(schedule.id))?.priceCents).toBe(5580);
      const order = await t.db.getRepository(Order).findOneByOrFail({ scheduleId: schedule.id });
      expect(order.unitPriceCents).toBe(4000);
    });

    it('should answer 2009 for a time or hall change once tickets are sold or held', async () => {
      const { merchant, cinema, hall, movie } = await givenScene();
      const otherHall = await givenHall(t, cinema.id);
      const sold = await insertShowtime(t, hall, movie, new Date(shanghai('2031-08-01 10:00')), { soldCount: 2 });
      const held = await insertShowtime(t, hall, movie, new Date(shanghai('2031-08-01 14:00')));
      await claimSeat(t, held, { row: 3, col: 3 }, new Date(Date.now() + 10 * MINUTE));
      for (const schedule of [sold, held]) {
        const patch = (body: object) => t.http.patch(`/api/v1/schedules/${schedule.id}`).set(merchant.auth).send(body);
        expect((await patch({ startsAt: shanghai('2031-08-02 10:00') }).expect(409)).body.code).toBe(2009);
        expect((await patch({ hallId: otherHall.id }).expect(409)).body.code).toBe(2009);
        // Sending the current values is not a change.
        await patch({ startsAt: schedule.startsAt.toISOString(), hallId: hall.id }).expect(200);
        expect(await scheduleRow(schedule.id)).toMatchObject({ hallId: hall.id, startsAt: schedule.startsAt });
      }
    });

    it('should refuse a movie change, null fields and bad input with 1002', async () => {
      const { merchant, hall, movie } = await givenScene();
      const schedule = await insertShowtime(t, hall, movie, new Date(Date.now() + 24 * HOUR));
      const patch = (body: object) => t.http.patch(`/api/v1/schedules/${schedule.id}`).set(merchant.auth).send(body);
      for (const [field, body] of [
        ['movieId', { movieId: movie.id }],
        ['price', { price: null }],
        ['price', { price: 1.001 }],
        ['startsAt', { startsAt: '2031-07-01 10:00' }],
      ] as const) {
        const res = await patch(body).expect(400);
        expect(res.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field })] });
      }
    });

    it('should refuse another merchant and a customer with 1013, an unknown showtime with 1014', async () => {
      const { hall, movie } = await givenScene();
      const schedule = await insertShowtime(t, hall, movie, new Date(Date.now() + 24 * HOUR));
      const other = await givenUser(t, 'merchant');
      const url = `/api/v1/schedules/${schedule.id}`;
      expect((await t.http.patch(url).set(other.auth).send({ price: 1 }).expect(403)).body.code).toBe(1013);
      expect((await t.http.patch(url).set(customer.auth).send({ price: 1 }).expect(403)).body.code).toBe(1013);
      const unknown = await t.http.patch('/api/v1/schedules/999999999').set(admin.auth).send({ price: 1 }).expect(404);
      expect(unknown.body.code).toBe(1014);
      await t.http.patch(url).set(admin.auth).send({ price: 1 }).expect(200);
      expect((await scheduleRow(schedule.id))?.priceCents).toBe(100);
    });
  });

  describe('DELETE /schedules/:id', () => {
    it('should delete a showtime without sales, and its dead orders with it', async () => {
      const { merchant, hall, movie } = await givenScene();
      const schedule = await insertShowtime(t, hall, movie, new Date(Date.now() + 24 * HOUR));
      await claimSeat(t, schedule, { row: 2, col: 2 }, new Date(Date.now() - MINUTE));
      const res = await t.http.delete(`/api/v1/schedules/${schedule.id}`).set(merchant.auth).expect(200);
      expect(res.body).toEqual({ code: 1000, msg: 'ok', data: null });
      expect(await scheduleRow(schedule.id)).toBeNull();
      expect(await t.db.getRepository(Order).countBy({ scheduleId: schedule.id })).toBe(0);
    });

    it('should answer 2009 once tickets are sold or held', async () => {
      const { merchant, hall, movie } = await givenScene();
      const sold = await insertShowtime(t, hall, movie, new Date(Date.now() + 24 * HOUR));
      await claimSeat(t, sold, { row: 2, col: 2 });
      const held = await insertShowtime(t, hall, movie, new Date(Date.now() + 48 * HOUR));
      await claimSeat(t, held, { row: 2, col: 2 }, new Date(Date.now() + 10 * MINUTE));
      for (const schedule of [sold, held]) {
        const res = await t.http.delete(`/api/v1/schedules/${schedule.id}`).set(merchant.auth).expect(409);
        expect(res.body.code).toBe(2009);
        expect(await scheduleRow(schedule.id)).not.toBeNull();
      }
    });

    it('should refuse another merchant and a customer with 1013, an unknown showtime with 1014', async () => {
      const { hall, movie } = await givenScene();
      const schedule = await insertShowtime(t, hall, movie, new Date(Date.now() + 24 * HOUR));
      const other = await givenUser(t, 'merchant');
      const url = `/api/v1/schedules/${schedule.id}`;
      expect((await t.http.delete(url).set(other.auth).expect(403)).body.code).toBe(1013);
      expect((await t.http.delete(url).set(customer.auth).expect(403)).body.code).toBe(1013);
      expect((await t.http.delete('/api/v1/schedules/999999999').set(admin.auth).expect(404)).body.code).toBe(1014);
      expect(await scheduleRow(schedule.id)).not.toBeNull();
      await t.http.delete(url).set(admin.auth).expect(200);
    });
  });
});
