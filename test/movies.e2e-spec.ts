import { Movie } from '../src/catalog/entities/movie.entity';
import { addDays, localDay } from '../src/common/time';
import { Schedule } from '../src/schedules/entities/schedule.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { givenShowtimeOf, movieBody } from './support/catalog';
import { givenCinema, givenHall, givenMovie, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp, unique } from './support/test-app';

describe('Movies (CONTRACT section 4)', () => {
  let t: TestApp;
  let admin: GivenUser;
  const api = '/api/v1/movies';
  const today = () => localDay(new Date(), 'Asia/Shanghai');
  const day = (offset: number) => addDays(today(), offset);

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await givenUser(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const movieRow = (id: number) => t.db.getRepository(Movie).findOneBy({ id });

  async function givenShowtimeFor(movie: Movie, startsInMinutes: number, fields: Partial<Schedule> = {}) {
    const hall = await givenHall(t, (await givenCinema(t)).id);
    return givenShowtimeOf(t, hall, movie, startsInMinutes, fields);
  }

  describe('POST /movies', () => {
    it('should add a movie for an admin with 201, derived status and defaults', async () => {
      const title = unique('星河彼岸 ');
      const body = movieBody(title, { releaseDate: day(-3), genres: ['科幻', 'Adventure'] });
      const res = await t.http.post(api).set(admin.auth).send(body).expect(201);
      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        data: {
          id: expect.any(Number),
          title,
          director: 'Jane Doe',
          actors: ['Actor One', 'Actor Two'],
          durationMinutes: 120,
          posterUrl: 'https://example.com/poster.jpg',
          description: 'A film.',
          releaseDate: day(-3),
          offDate: null,
          genres: ['科幻', 'Adventure'],
          status: 'showing',
          createdAt: expect.stringMatching(/Z$/),
        },
      });
      expect(await movieRow(res.body.data.id)).toMatchObject({ title, releaseDate: day(-3), offDate: null });
    });

    it('should default genres to an empty list and keep an off date', async () => {
      const body = movieBody(unique('M '), { releaseDate: day(5), offDate: day(40) });
      const res = await t.http.post(api).set(admin.auth).send(body).expect(201);
      expect(res.body.data).toMatchObject({ genres: [], offDate: day(40), status: 'upcoming' });
    });

    it('should refuse the same title and release date again with 1015', async () => {
      const body = movieBody(unique('Dup '));
      await t.http.post(api).set(admin.auth).send(body).expect(201);
      const res = await t.http.post(api).set(admin.auth).send(body).expect(409);
      expect(res.body).toMatchObject({ code: 1015, data: null });
      // Another release date of the same title is another movie (a re-release).
      await t.http
        .post(api)
        .set(admin.auth)
        .send({ ...body, releaseDate: '2027-01-15' })
        .expect(201);
    });

    it('should let exactly one of two simultaneous identical movies through', async () => {
      const body = movieBody(unique('Race '));
      const results = await Promise.all([1, 2].map(() => t.http.post(api).set(admin.auth).send(body)));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe(1015);
      expect(await t.db.getRepository(Movie).countBy({ title: body.title as string })).toBe(1);
    });

    it.each([
      ['title', { title: '  ' }],
      ['director', { director: undefined }],
      ['actors', { actors: 'Actor One' }],
      ['actors', { actors: ['Actor One', 7] }],
      ['genres', { genres: [''] }],
      ['durationMinutes', { durationMinutes: 0 }],
      ['durationMinutes', { durationMinutes: 601 }],
      ['durationMinutes', { durationMinutes: 90.5 }],
      ['posterUrl', { posterUrl: 'poster.jpg' }],
      ['description', { description: undefined }],
      ['releaseDate', { releaseDate: '2026-02-30' }],
      ['releaseDate', { releaseDate: '2026-03-01T00:00:00+08:00' }],
      ['offDate', { offDate: '01/05/2026' }],
      ['offDate', { releaseDate: '2026-05-10', offDate: '2026-05-09' }],
      ['status', { status: 'showing' }],
    ])('should refuse a bad %s with 1002 naming the field', async (field, override) => {
      const title = unique('Bad ');
      const res = await t.http.post(api).set(admin.auth).send(movieBody(title, override)).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field })] });
      expect(await t.db.getRepository(Movie).countBy({ title })).toBe(0);
    });

    it('should accept an off date on the release day (a one-day run)', async () => {
      const body = movieBody(unique('One day '), { releaseDate: '2026-05-10', offDate: '2026-05-10' });
      await t.http.post(api).set(admin.auth).send(body).expect(201);
    });

    it('should refuse merchants and customers with 1013, anonymous callers with 1007', async () => {
      for (const role of ['merchant', 'customer'] as const) {
        const caller = await givenUser(t, role);
        expect((await t.http.post(api).set(caller.auth).send(movieBody(unique())).expect(403)).body.code).toBe(1013);
      }
      expect((await t.http.post(api).send(movieBody(unique())).expect(401)).body.code).toBe(1007);
    });
  });

  describe('GET /movies', () => {
    /** Five movies sharing a unique word, one per status edge. */
    async function givenProgramme() {
      const word = unique('prog');
      const make = (name: string, releaseDate: string, offDate: string | null) =>
        givenMovie(t, { title: `${word} ${name}`, releaseDate, offDate });
      return {
        word,
        upcomingLater: await make('upcoming later', day(10), null),
        upcomingSoon: await make('upcoming soon', day(1), null),
        openingToday: await make('opening today', day(0), day(0)),
        showing: await make('showing', day(-5), null),
        off: await make('off', day(-30), day(-1)),
      };
    }

    const ids = (res: { body: { data: { id: number }[] } }) => res.body.data.map((m) => m.id);

    it('should list upcoming movies soonest release first', async () => {
      const p = await givenProgramme();
      const res = await t.http.get(`${api}?status=upcoming&q=${p.word}`).expect(200);
      expect(ids(res)).toEqual([p.upcomingSoon.id, p.upcomingLater.id]);
      expect(res.body.total).toBe(2);
      expect(res.body.data.every((m: { status: string }) => m.status === 'upcoming')).toBe(true);
    });

    it('should list showing movies newest release first, the off date being their last day', async () => {
      const p = await givenProgramme();
      const res = await t.http.get(`${api}?status=showing&q=${p.word}`).expect(200);
      expect(ids(res)).toEqual([p.openingToday.id, p.showing.id]);
      expect(res.body.data.map((m: { status: string }) => m.status)).toEqual(['showing', 'showing']);
    });

    it('should list off movies', async () => {
      const p = await givenProgramme();
      const res = await t.http.get(`${api}?status=off&q=${p.word}`).expect(200);
      expect(res.body).toMatchObject({ total: 1, data: [{ id: p.off.id, status: 'off' }] });
    });

    it('should list every status without a filter, newest release first, paged', async () => {
      const p = await givenProgramme();
      const res = await t.http.get(`${api}?q=${p.word}`).expect(200);
      expect(ids(res)).toEqual([p.upcomingLater.id, p.upcomingSoon.id, p.openingToday.id, p.showing.id, p.off.id]);
      const page = await t.http.get(`${api}?q=${p.word}&page=2&pageSize=2`).expect(200);
      expect(page.body).toMatchObject({ total: 5 });
      expect(ids(page)).toEqual([p.openingToday.id, p.showing.id]);
    });

    it('should match the text query on title, director and actors, ignoring Latin case', async () => {
      const word = unique('Zq');
      const byTitle = await givenMovie(t, { title: `The ${word} Lighthouse` });
      const byDirector = await givenMovie(t, { director: `Emma ${word}` });
      const byActor = await givenMovie(t, { actors: ['周子墨', `Maya ${word}`] });
      await givenMovie(t, { title: unique('Unrelated ') });
      const res = await t.http.get(`${api}?q=${word.toUpperCase()}`).expect(200);
      expect(ids(res).sort()).toEqual([byTitle.id, byDirector.id, byActor.id].sort());

      const chinese = await t.http.get(`${api}?q=${encodeURIComponent('周子墨')}&pageSize=100`).expect(200);
      expect(ids(chinese)).toContain(byActor.id);
    });

    it('should take % and _ in the text query literally', async () => {
      const word = unique('lit');
      const literal = await givenMovie(t, { title: `${word} 100% _real_` });
      await givenMovie(t, { title: `${word} 100X xrealx` });
      const percent = await t.http.get(`${api}?q=${encodeURIComponent(`${word} 100%`)}`).expect(200);
      expect(ids(percent)).toEqual([literal.id]);
      const underscore = await t.http.get(`${api}?q=${encodeURIComponent('_real_')}&pageSize=100`).expect(200);
      expect(ids(underscore)).toContain(literal.id);
      expect(underscore.body.data.every((m: { title: string }) => m.title.includes('_real_'))).toBe(true);
    });

    it.each([
      ['status', 'status=soon'],
      ['pageSize', 'pageSize=0'],
      ['q', `q=${'x'.repeat(101)}`],
    ])('should refuse a bad %s with 1002', async (field, query) => {
      const res = await t.http.get(`${api}?${query}`).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [{ field }] });
    });
  });

  describe('GET /movies/:id', () => {
    it('should show a movie to anyone', async () => {
      const movie = await givenMovie(t, { releaseDate: day(3) });
      const res = await t.http.get(`${api}/${movie.id}`).expect(200);
      expect(res.body.data).toMatchObject({ id: movie.id, title: movie.title, status: 'upcoming' });
    });

    it('should answer an unknown movie with 1014 and a bad id with 1002', async () => {
      expect((await t.http.get(`${api}/999999999`).expect(404)).body.code).toBe(1014);
      expect((await t.http.get(`${api}/-3`).expect(400)).body).toMatchObject({ code: 1002, data: [{ field: 'id' }] });
    });
  });

  describe('PATCH /movies/:id', () => {
    it('should change the fields sent and keep the others', async () => {
      const movie = await givenMovie(t, { releaseDate: day(-1) });
      const title = unique('Renamed ');
      const res = await t.http
        .patch(`${api}/${movie.id}`)
        .set(admin.auth)
        .send({ title, genres: ['Drama'], offDate: day(-1) })
        .expect(200);
      expect(res.body.data).toMatchObject({ title, genres: ['Drama'], director: movie.director, status: 'off' });
      expect(await movieRow(movie.id)).toMatchObject({ title, genres: ['Drama'], offDate: day(-1) });
    });

    it('should clear the off date sent as null', async () => {
      const movie = await givenMovie(t, { offDate: '2020-02-01' });
      const res = await t.http.patch(`${api}/${movie.id}`).set(admin.auth).send({ offDate: null }).expect(200);
      expect(res.body.data).toMatchObject({ offDate: null, status: 'showing' });
      expect((await movieRow(movie.id))?.offDate).toBeNull();
    });

    it.each([
      ['title', { title: null }],
      ['durationMinutes', { durationMinutes: null }],
      ['actors', { actors: null }],
      ['offDate', { offDate: '2019-12-31' }],
      ['offDate', { releaseDate: '2020-03-01' }],
      ['posterUrl', { posterUrl: 'nope' }],
    ])('should refuse a bad %s with 1002 and change nothing', async (field, body) => {
      const movie = await givenMovie(t, { releaseDate: '2020-01-01', offDate: '2020-02-01' });
      const res = await t.http.patch(`${api}/${movie.id}`).set(admin.auth).send(body).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field })] });
      expect(await movieRow(movie.id)).toMatchObject({ title: movie.title, releaseDate: '2020-01-01' });
    });

    it("should refuse taking another movie's title and release date with 1015", async () => {
      const existing = await givenMovie(t, { releaseDate: '2024-06-01' });
      const movie = await givenMovie(t, { releaseDate: '2024-06-01' });
      const res = await t.http.patch(`${api}/${movie.id}`).set(admin.auth).send({ title: existing.title }).expect(409);
      expect(res.body.code).toBe(1015);
      expect((await movieRow(movie.id))?.title).toBe(movie.title);
    });

    it('should refuse a new duration while showtimes are scheduled with 2009', async () => {
      const movie = await givenMovie(t);
      await givenShowtimeFor(movie, 120);
      const res = await t.http.patch(`${api}/${movie.id}`).set(admin.auth).send({ durationMinutes: 150 }).expect(409);
      expect(res.body.code).toBe(2009);
      expect((await movieRow(movie.id))?.durationMinutes).toBe(120);
      // The same duration, or other fields, are fine.
      await t.http
        .patch(`${api}/${movie.id}`)
        .set(admin.auth)
        .send({ durationMinutes: 120, title: unique() })
        .expect(200);
    });

    it('should allow a new duration when its showtimes are all in the past', async () => {
      const movie = await givenMovie(t);
      await givenShowtimeFor(movie, -600);
      await t.http.patch(`${api}/${movie.id}`).set(admin.auth).send({ durationMinutes: 95 }).expect(200);
      expect((await movieRow(movie.id))?.durationMinutes).toBe(95);
    });

    it('should answer an unknown movie with 1014 and a merchant with 1013', async () => {
      await t.http.patch(`${api}/999999999`).set(admin.auth).send({ title: 'x' }).expect(404);
      const merchant = await givenUser(t, 'merchant');
      const movie = await givenMovie(t);
      const res = await t.http.patch(`${api}/${movie.id}`).set(merchant.auth).send({ title: 'x' }).expect(403);
      expect(res.body.code).toBe(1013);
    });
  });

  describe('DELETE /movies/:id', () => {
    it('should delete a movie without showtimes', async () => {
      const movie = await givenMovie(t);
      const res = await t.http.delete(`${api}/${movie.id}`).set(admin.auth).expect(200);
      expect(res.body).toEqual({ code: 1000, msg: 'ok', data: null });
      expect(await movieRow(movie.id)).toBeNull();
      await t.http.get(`${api}/${movie.id}`).expect(404);
    });

    it('should delete its unsold showtimes and their unpaid orders with it', async () => {
      const movie = await givenMovie(t);
      const future = await givenShowtimeFor(movie, 24 * 60);
      const past = await givenShowtimeFor(movie, -24 * 60);
      const buyer = await givenUser(t, 'customer');
      const order = await t.db.getRepository(Order).save({
        userId: buyer.user.id,
        scheduleId: future.id,
        status: 'pending' as const,
        seats: [{ row: 1, col: 1 }],
        unitPriceCents: 4500,
        amountCents: 4500,
        expiresAt: new Date(Date.now() + 600_000),
      });
      await t.http.delete(`${api}/${movie.id}`).set(admin.auth).expect(200);
      expect(await movieRow(movie.id)).toBeNull();
      expect(await t.db.getRepository(Schedule).findBy([{ id: future.id }, { id: past.id }])).toEqual([]);
      expect(await t.db.getRepository(Order).findOneBy({ id: order.id })).toBeNull();
    });

    it('should refuse with 2009 while any showtime has sold tickets, keeping everything', async () => {
      const movie = await givenMovie(t);
      const unsold = await givenShowtimeFor(movie, 24 * 60);
      const sold = await givenShowtimeFor(movie, -24 * 60, { soldCount: 2 });
      const res = await t.http.delete(`${api}/${movie.id}`).set(admin.auth).expect(409);
      expect(res.body).toMatchObject({ code: 2009, data: null });
      expect(await movieRow(movie.id)).not.toBeNull();
      expect(await t.db.getRepository(Schedule).countBy([{ id: unsold.id }, { id: sold.id }])).toBe(2);
    });

    it('should answer an unknown movie with 1014, a merchant with 1013, a bad id with 1002', async () => {
      expect((await t.http.delete(`${api}/999999999`).set(admin.auth).expect(404)).body.code).toBe(1014);
      const merchant = await givenUser(t, 'merchant');
      const movie = await givenMovie(t);
      expect((await t.http.delete(`${api}/${movie.id}`).set(merchant.auth).expect(403)).body.code).toBe(1013);
      expect(await movieRow(movie.id)).not.toBeNull();
      await t.http.delete(`${api}/1.5`).set(admin.auth).expect(400);
    });
  });
});
