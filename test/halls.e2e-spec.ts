import { Hall } from '../src/halls/entities/hall.entity';
import { Schedule } from '../src/schedules/entities/schedule.entity';
import { givenCinema, givenHall, givenMovie, givenUser, GivenUser } from './support/factories';
import { claimSeat, givenOwnedCinema, insertShowtime, OwnedCinema, shanghai } from './support/scheduling';
import { bootTestApp, TestApp, unique } from './support/test-app';

const HOUR = 3_600_000;

describe('Halls (CONTRACT section 5)', () => {
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

  const hallRow = (id: number) => t.db.getRepository(Hall).findOneBy({ id });
  const newHall = (cinemaId: number, fields: Record<string, unknown> = {}) => ({
    cinemaId,
    name: unique('Hall '),
    rows: 5,
    cols: 8,
    disabledSeats: [{ row: 1, col: 1 }],
    ...fields,
  });

  describe('POST /halls', () => {
    let owned: OwnedCinema;

    beforeAll(async () => {
      owned = await givenOwnedCinema(t);
    });

    it('should let the owner add a hall and derive its seat count', async () => {
      const body = newHall(owned.cinema.id, {
        description: 'IMAX',
        disabledSeats: [
          { row: 1, col: 1 },
          { row: 5, col: 8 },
        ],
      });
      const res = await t.http.post('/api/v1/halls').set(owned.merchant.auth).send(body).expect(201);
      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        data: {
          id: expect.any(Number),
          cinemaId: owned.cinema.id,
          name: body.name,
          rows: 5,
          cols: 8,
          seatCount: 38,
          disabledSeats: [
            { row: 1, col: 1 },
            { row: 5, col: 8 },
          ],
          description: 'IMAX',
          zones: [],
          couples: [],
        },
      });
      expect(await hallRow(res.body.data.id)).toMatchObject({
        cinemaId: owned.cinema.id,
        seatCount: 38,
        deletedAt: null,
      });
    });

    it('should default to no disabled seats and no description', async () => {
      const body: Record<string, unknown> = newHall(owned.cinema.id);
      delete body.disabledSeats;
      const res = await t.http.post('/api/v1/halls').set(owned.merchant.auth).send(body).expect(201);
      expect(res.body.data).toMatchObject({ seatCount: 40, disabledSeats: [], description: null });
    });

    it('should let an admin add a hall to any cinema', async () => {
      const res = await t.http.post('/api/v1/halls').set(admin.auth).send(newHall(owned.cinema.id)).expect(201);
      expect(res.body.data.cinemaId).toBe(owned.cinema.id);
    });

    it('should refuse another merchant and a customer with 1013, an unknown cinema with 1014', async () => {
      const other = await givenUser(t, 'merchant');
      const body = newHall(owned.cinema.id);
      expect((await t.http.post('/api/v1/halls').set(other.auth).send(body).expect(403)).body.code).toBe(1013);
      expect((await t.http.post('/api/v1/halls').set(customer.auth).send(body).expect(403)).body.code).toBe(1013);
      expect((await t.http.post('/api/v1/halls').send(body).expect(401)).body.code).toBe(1007);
      const unknown = newHall(999_999_999);
      expect((await t.http.post('/api/v1/halls').set(admin.auth).send(unknown).expect(404)).body.code).toBe(1014);
      expect(await t.db.getRepository(Hall).countBy({ name: body.name })).toBe(0);
    });

    it.each([
      ['rows', { rows: 0 }],
      ['rows', { rows: 51 }],
      ['cols', { cols: 2.5 }],
      ['name', { name: '' }],
      ['name', { name: 'x'.repeat(51) }],
      ['cinemaId', { cinemaId: undefined }],
      ['disabledSeats.0.row', { disabledSeats: [{ row: 0, col: 1 }] }],
      ['disabledSeats', { disabledSeats: 'A1' }],
      ['seatCount', { seatCount: 10 }],
    ])('should answer 1002 naming %s for bad input', async (field, fields) => {
      const res = await t.http.post('/api/v1/halls').set(admin.auth).send(newHall(owned.cinema.id, fields)).expect(400);
      expect(res.body.code).toBe(1002);
      expect(res.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it.each([
      ['outside the rows', [{ row: 6, col: 1 }], /outside/],
      ['outside the cols', [{ row: 1, col: 9 }], /outside/],
      [
        'repeated',
        [
          { row: 2, col: 2 },
          { row: 2, col: 2 },
        ],
        /twice/,
      ],
    ])('should answer 1002 on disabledSeats for a seat %s', async (_, disabledSeats, message) => {
      const body = newHall(owned.cinema.id, { disabledSeats });
      const res = await t.http.post('/api/v1/halls').set(admin.auth).send(body).expect(400);
      expect(res.body).toMatchObject({ code: 1002, msg: expect.stringMatching(message) });
      expect(res.body.data).toEqual([{ field: 'disabledSeats', message: expect.stringMatching(message) }]);
      expect(await t.db.getRepository(Hall).countBy({ name: body.name })).toBe(0);
    });

    it('should answer 1015 for a name taken in the cinema, and accept it in another cinema', async () => {
      const body = newHall(owned.cinema.id);
      await t.http.post('/api/v1/halls').set(admin.auth).send(body).expect(201);
      const again = await t.http.post('/api/v1/halls').set(admin.auth).send(body).expect(409);
      expect(again.body).toMatchObject({ code: 1015, data: null });
      const elsewhere = await givenCinema(t);
      await t.http
        .post('/api/v1/halls')
        .set(admin.auth)
        .send({ ...body, cinemaId: elsewhere.id })
        .expect(201);
    });

    it('should let only one of several racing requests take a name', async () => {
      const body = newHall(owned.cinema.id);
      const results = await Promise.all(
        [1, 2, 3].map(() => t.http.post('/api/v1/halls').set(owned.merchant.auth).send(body)),
      );
      expect(results.map((r) => r.body.code).sort()).toEqual([1000, 1015, 1015]);
      expect(await t.db.getRepository(Hall).countBy({ cinemaId: owned.cinema.id, name: body.name })).toBe(1);
    });
  });

  describe('GET /halls and GET /halls/:id', () => {
    it('should list the halls of a cinema by id, all of them by default, with total', async () => {
      const { cinema } = await givenOwnedCinema(t);
      const halls = [];
      for (let i = 0; i < 3; i++) halls.push(await givenHall(t, cinema.id));
      await givenHall(t, cinema.id, { deletedAt: new Date(), name: unique('Gone ') });
      await givenHall(t, (await givenCinema(t)).id);
      const res = await t.http.get(`/api/v1/halls?cinemaId=${cinema.id}`).expect(200);
      expect(res.body.total).toBe(3);
      expect(res.body.data.map((h: { id: number }) => h.id)).toEqual(halls.map((h) => h.id));
      expect(res.body.data[0]).toEqual({
        id: halls[0].id,
        cinemaId: cinema.id,
        name: halls[0].name,
        rows: 5,
        cols: 8,
        seatCount: 40,
        disabledSeats: [],
        description: null,
        zones: [],
        couples: [],
      });
      const page2 = await t.http.get(`/api/v1/halls?cinemaId=${cinema.id}&page=2&pageSize=2`).expect(200);
      expect(page2.body).toMatchObject({ total: 3, data: [{ id: halls[2].id }] });
    });

    it('should need a cinemaId', async () => {
      const res = await t.http.get('/api/v1/halls').expect(400);
      expect(res.body.data).toEqual([expect.objectContaining({ field: 'cinemaId' })]);
    });

    it('should show one hall to anyone; unknown or deleted 1014, a bad id 1002', async () => {
      const { cinema } = await givenOwnedCinema(t);
      const hall = await givenHall(t, cinema.id, { disabledSeats: [{ row: 2, col: 3 }], seatCount: 39 });
      const res = await t.http.get(`/api/v1/halls/${hall.id}`).expect(200);
      expect(res.body.data).toMatchObject({ id: hall.id, seatCount: 39, disabledSeats: [{ row: 2, col: 3 }] });
      const gone = await givenHall(t, cinema.id, { deletedAt: new Date() });
      expect((await t.http.get(`/api/v1/halls/${gone.id}`).expect(404)).body.code).toBe(1014);
      expect((await t.http.get('/api/v1/halls/999999999').expect(404)).body.code).toBe(1014);
      const bad = await t.http.get('/api/v1/halls/abc').expect(400);
      expect(bad.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field: 'id' })] });
    });
  });

  describe('PATCH /halls/:id', () => {
    let owned: OwnedCinema;

    beforeAll(async () => {
      owned = await givenOwnedCinema(t);
    });

    it('should rename and describe a hall', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      const name = unique('Renamed ');
      const res = await t.http
        .patch(`/api/v1/halls/${hall.id}`)
        .set(owned.merchant.auth)
        .send({ name, description: 'Dolby' })
        .expect(200);
      expect(res.body.data).toMatchObject({ id: hall.id, name, description: 'Dolby', seatCount: 40 });
      expect(await hallRow(hall.id)).toMatchObject({ name, description: 'Dolby' });
      await t.http.patch(`/api/v1/halls/${hall.id}`).set(owned.merchant.auth).send({ description: null }).expect(200);
      expect((await hallRow(hall.id))?.description).toBeNull();
    });

    it('should change the layout and the seat count of the hall and of its coming showtimes only', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      const movie = await givenMovie(t);
      const coming = await insertShowtime(t, hall, movie, new Date(Date.now() + 24 * HOUR));
      const past = await insertShowtime(t, hall, movie, new Date(Date.now() - 48 * HOUR));
      const res = await t.http
        .patch(`/api/v1/halls/${hall.id}`)
        .set(owned.merchant.auth)
        .send({ rows: 6, cols: 10, disabledSeats: [{ row: 6, col: 10 }] })
        .expect(200);
      expect(res.body.data).toMatchObject({ rows: 6, cols: 10, seatCount: 59, disabledSeats: [{ row: 6, col: 10 }] });
      expect(await hallRow(hall.id)).toMatchObject({ rows: 6, cols: 10, seatCount: 59 });
      const schedules = t.db.getRepository(Schedule);
      expect((await schedules.findOneBy({ id: coming.id }))?.seatCount).toBe(59);
      expect((await schedules.findOneBy({ id: past.id }))?.seatCount).toBe(40);
    });

    it('should keep the disabled seats that still fit when only the grid shrinks', async () => {
      const hall = await givenHall(t, owned.cinema.id, {
        disabledSeats: [
          { row: 1, col: 1 },
          { row: 5, col: 1 },
        ],
        seatCount: 38,
      });
      const res = await t.http.patch(`/api/v1/halls/${hall.id}`).set(admin.auth).send({ rows: 4 }).expect(200);
      expect(res.body.data).toMatchObject({ rows: 4, seatCount: 31, disabledSeats: [{ row: 1, col: 1 }] });
    });

    it('should refuse to move a hall to another cinema, and bad layouts, with 1002', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      const other = await givenCinema(t, { ownerId: owned.merchant.user.id });
      const moved = await t.http
        .patch(`/api/v1/halls/${hall.id}`)
        .set(owned.merchant.auth)
        .send({ cinemaId: other.id })
        .expect(400);
      expect(moved.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field: 'cinemaId' })] });
      const outside = await t.http
        .patch(`/api/v1/halls/${hall.id}`)
        .set(owned.merchant.auth)
        .send({ disabledSeats: [{ row: 5, col: 9 }] })
        .expect(400);
      expect(outside.body.data).toEqual([{ field: 'disabledSeats', message: expect.stringMatching(/outside/) }]);
      expect(await hallRow(hall.id)).toMatchObject({ cinemaId: owned.cinema.id, disabledSeats: [] });
    });

    it('should answer 1015 for a name another hall of the cinema has', async () => {
      const a = await givenHall(t, owned.cinema.id);
      const b = await givenHall(t, owned.cinema.id);
      const res = await t.http.patch(`/api/v1/halls/${b.id}`).set(admin.auth).send({ name: a.name }).expect(409);
      expect(res.body.code).toBe(1015);
      expect((await hallRow(b.id))?.name).toBe(b.name);
    });

    it('should refuse another merchant and a customer with 1013, an unknown hall with 1014', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      const other = await givenUser(t, 'merchant');
      const patch = { name: unique('X ') };
      expect((await t.http.patch(`/api/v1/halls/${hall.id}`).set(other.auth).send(patch).expect(403)).body.code).toBe(
        1013,
      );
      expect(
        (await t.http.patch(`/api/v1/halls/${hall.id}`).set(customer.auth).send(patch).expect(403)).body.code,
      ).toBe(1013);
      expect((await t.http.patch('/api/v1/halls/999999999').set(admin.auth).send(patch).expect(404)).body.code).toBe(
        1014,
      );
      expect((await hallRow(hall.id))?.name).toBe(hall.name);
    });

    it('should answer 2009 when the layout would take away a seat sold or held for a coming showtime', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      const movie = await givenMovie(t);
      const coming = await insertShowtime(t, hall, movie, new Date(Date.now() + 24 * HOUR));
      await claimSeat(t, coming, { row: 2, col: 3 });
      await claimSeat(t, coming, { row: 4, col: 4 }, new Date(Date.now() + 10 * 60_000));
      const patch = (body: object) => t.http.patch(`/api/v1/halls/${hall.id}`).set(owned.merchant.auth).send(body);

      const disableSold = await patch({ disabledSeats: [{ row: 2, col: 3 }] }).expect(409);
      expect(disableSold.body).toMatchObject({ code: 2009, msg: expect.stringMatching(/row 2, col 3/) });
      expect((await patch({ rows: 3 }).expect(409)).body.code).toBe(2009);
      expect((await patch({ cols: 3 }).expect(409)).body.code).toBe(2009);
      expect((await patch({ disabledSeats: [{ row: 4, col: 4 }] }).expect(409)).body.code).toBe(2009);
      expect(await hallRow(hall.id)).toMatchObject({ rows: 5, cols: 8, seatCount: 40, disabledSeats: [] });
      expect((await t.db.getRepository(Schedule).findOneBy({ id: coming.id }))?.seatCount).toBe(40);

      const res = await patch({ disabledSeats: [{ row: 2, col: 4 }], rows: 4 }).expect(200);
      expect(res.body.data).toMatchObject({ rows: 4, seatCount: 31 });
      expect((await t.db.getRepository(Schedule).findOneBy({ id: coming.id }))?.seatCount).toBe(31);
    });

    it('should not be held back by seats of ended showtimes or lapsed holds', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      const movie = await givenMovie(t);
      const past = await insertShowtime(t, hall, movie, new Date(Date.now() - 48 * HOUR));
      await claimSeat(t, past, { row: 1, col: 1 });
      const coming = await insertShowtime(t, hall, movie, new Date(Date.now() + 24 * HOUR));
      await claimSeat(t, coming, { row: 1, col: 2 }, new Date(Date.now() - 60_000));
      const res = await t.http
        .patch(`/api/v1/halls/${hall.id}`)
        .set(owned.merchant.auth)
        .send({
          disabledSeats: [
            { row: 1, col: 1 },
            { row: 1, col: 2 },
          ],
        })
        .expect(200);
      expect(res.body.data.seatCount).toBe(38);
    });
  });

  describe('DELETE /halls/:id', () => {
    let owned: OwnedCinema;

    beforeAll(async () => {
      owned = await givenOwnedCinema(t);
    });

    it('should delete a hall that never had showtimes', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      const res = await t.http.delete(`/api/v1/halls/${hall.id}`).set(owned.merchant.auth).expect(200);
      expect(res.body).toEqual({ code: 1000, msg: 'ok', data: null });
      expect(await hallRow(hall.id)).toBeNull();
    });

    it('should answer 2009 while the hall has a showtime to come, and keep it', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      await insertShowtime(t, hall, await givenMovie(t), new Date(Date.now() + 2 * HOUR));
      const res = await t.http.delete(`/api/v1/halls/${hall.id}`).set(owned.merchant.auth).expect(409);
      expect(res.body.code).toBe(2009);
      expect(await hallRow(hall.id)).toMatchObject({ deletedAt: null, name: hall.name });
    });

    it('should count a running showtime as not over yet', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      await insertShowtime(t, hall, await givenMovie(t), new Date(Date.now() - HOUR));
      expect((await t.http.delete(`/api/v1/halls/${hall.id}`).set(admin.auth).expect(409)).body.code).toBe(2009);
    });

    it('should keep a hall with past showtimes hidden and renamed, freeing its name', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      const past = await insertShowtime(t, hall, await givenMovie(t), new Date(Date.now() - 48 * HOUR));
      await t.http.delete(`/api/v1/halls/${hall.id}`).set(owned.merchant.auth).expect(200);
      const row = await hallRow(hall.id);
      expect(row).toMatchObject({ name: `${hall.name}~${hall.id}`, deletedAt: expect.any(Date) });
      expect(await t.db.getRepository(Schedule).findOneBy({ id: past.id })).not.toBeNull();

      expect((await t.http.get(`/api/v1/halls/${hall.id}`).expect(404)).body.code).toBe(1014);
      expect((await t.http.delete(`/api/v1/halls/${hall.id}`).set(admin.auth).expect(404)).body.code).toBe(1014);
      const patched = await t.http.patch(`/api/v1/halls/${hall.id}`).set(admin.auth).send({ rows: 3 }).expect(404);
      expect(patched.body.code).toBe(1014);
      const list = await t.http.get(`/api/v1/halls?cinemaId=${owned.cinema.id}`).expect(200);
      expect(list.body.data.map((h: { id: number }) => h.id)).not.toContain(hall.id);
      const shown = await t.http.get(`/api/v1/schedules/${past.id}`).expect(200);
      expect(shown.body.data.hallName).toBe(hall.name);

      const reused = await t.http
        .post('/api/v1/halls')
        .set(owned.merchant.auth)
        .send(newHall(owned.cinema.id, { name: hall.name }))
        .expect(201);
      expect(reused.body.data.name).toBe(hall.name);
    });

    it('should refuse another merchant and a customer with 1013, an unknown hall with 1014', async () => {
      const hall = await givenHall(t, owned.cinema.id);
      const other = await givenUser(t, 'merchant');
      expect((await t.http.delete(`/api/v1/halls/${hall.id}`).set(other.auth).expect(403)).body.code).toBe(1013);
      expect((await t.http.delete(`/api/v1/halls/${hall.id}`).set(customer.auth).expect(403)).body.code).toBe(1013);
      expect((await t.http.delete('/api/v1/halls/999999999').set(admin.auth).expect(404)).body.code).toBe(1014);
      expect(await hallRow(hall.id)).not.toBeNull();
    });
  });

  describe('GET /halls/:id/schedules', () => {
    it("should list the hall's showtimes of one local day, soonest first", async () => {
      const { cinema } = await givenOwnedCinema(t);
      const hall = await givenHall(t, cinema.id);
      const movie = await givenMovie(t, { durationMinutes: 90 });
      const late = await insertShowtime(t, hall, movie, new Date(shanghai('2031-03-10 23:30')));
      const early = await insertShowtime(t, hall, movie, new Date(shanghai('2031-03-10 09:00')));
      await insertShowtime(t, hall, movie, new Date(shanghai('2031-03-11 00:30')));
      await insertShowtime(t, hall, movie, new Date(shanghai('2031-03-09 22:00')));
      await insertShowtime(t, await givenHall(t, cinema.id), movie, new Date(shanghai('2031-03-10 12:00')));

      const res = await t.http.get(`/api/v1/halls/${hall.id}/schedules?date=2031-03-10`).expect(200);
      expect(res.body.total).toBe(2);
      expect(res.body.data).toEqual([
        expect.objectContaining({
          id: early.id,
          startsAt: '2031-03-10T01:00:00.000Z',
          endsAt: '2031-03-10T02:30:00.000Z',
        }),
        expect.objectContaining({
          id: late.id,
          startsAt: '2031-03-10T15:30:00.000Z',
          hallId: hall.id,
          cinemaId: cinema.id,
        }),
      ]);
    });

    it('should answer 1014 for an unknown hall and 1002 for a bad day', async () => {
      const { cinema } = await givenOwnedCinema(t);
      const hall = await givenHall(t, cinema.id);
      expect((await t.http.get('/api/v1/halls/999999999/schedules?date=2031-03-10').expect(404)).body.code).toBe(1014);
      const bad = await t.http.get(`/api/v1/halls/${hall.id}/schedules?date=2031-02-30`).expect(400);
      expect(bad.body.data).toEqual([expect.objectContaining({ field: 'date' })]);
      const today = await t.http.get(`/api/v1/halls/${hall.id}/schedules`).expect(200);
      expect(today.body).toMatchObject({ data: [], total: 0 });
    });
  });
});
