import { Cinema } from '../src/catalog/entities/cinema.entity';
import { User } from '../src/users/entities/user.entity';
import { givenShowtimeOf } from './support/catalog';
import { givenCinema, givenHall, givenMovie, givenUser } from './support/factories';
import { bootTestApp, TestApp, unique } from './support/test-app';

describe('Cinemas (CONTRACT section 3)', () => {
  let t: TestApp;
  const api = '/api/v1/cinemas';

  beforeAll(async () => {
    t = await bootTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const cinemaRow = (id: number) => t.db.getRepository(Cinema).findOneByOrFail({ id });
  /** A city of its own per test: the MySQL database is shared by every test file of a run. */
  const city = () => unique('City-');

  describe('GET /cinemas', () => {
    it('should list active cinemas of a city by id with total, to anyone', async () => {
      const town = city();
      const first = await givenCinema(t, { city: town });
      const second = await givenCinema(t, { city: town });
      await givenCinema(t, { city: town, status: 'suspended' });
      await givenCinema(t, { city: town, status: 'expired' });
      await givenCinema(t, { city: city() });

      const res = await t.http.get(`${api}?city=${town}`).expect(200);
      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        total: 2,
        data: [
          { id: first.id, name: first.name, city: town, address: first.address, beginPrice: null },
          { id: second.id, name: second.name, city: town, address: second.address, beginPrice: null },
        ],
      });
    });

    it('should page the list', async () => {
      const town = city();
      const cinemas = [await givenCinema(t, { city: town }), await givenCinema(t, { city: town })];
      await givenCinema(t, { city: town });
      const res = await t.http.get(`${api}?city=${town}&page=2&pageSize=2`).expect(200);
      expect(res.body.total).toBe(3);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0].id).toBeGreaterThan(cinemas[1].id);
    });

    it('should answer beginPrice in yuan as the lowest price of future showtimes only', async () => {
      const town = city();
      const cinema = await givenCinema(t, { city: town });
      const hall = await givenHall(t, cinema.id);
      const movie = await givenMovie(t);
      await givenShowtimeOf(t, hall, movie, 60, { priceCents: 5990 });
      await givenShowtimeOf(t, hall, movie, 24 * 60, { priceCents: 4550 });
      await givenShowtimeOf(t, hall, movie, -24 * 60, { priceCents: 1000 });

      const res = await t.http.get(`${api}?city=${town}`).expect(200);
      expect(res.body.data).toEqual([expect.objectContaining({ id: cinema.id, beginPrice: 45.5 })]);
    });

    it('should list only cinemas with a future showtime of the movie, priced for that movie', async () => {
      const town = city();
      const [showing, otherMovieOnly, pastOnly] = [
        await givenCinema(t, { city: town }),
        await givenCinema(t, { city: town }),
        await givenCinema(t, { city: town }),
      ];
      const [movie, other] = [await givenMovie(t), await givenMovie(t)];
      const hall = await givenHall(t, showing.id);
      await givenShowtimeOf(t, hall, movie, 120, { priceCents: 6800 });
      await givenShowtimeOf(t, hall, other, 600, { priceCents: 3990 });
      await givenShowtimeOf(t, await givenHall(t, otherMovieOnly.id), other, 120);
      await givenShowtimeOf(t, await givenHall(t, pastOnly.id), movie, -300);

      const res = await t.http.get(`${api}?city=${town}&movieId=${movie.id}`).expect(200);
      expect(res.body).toMatchObject({ total: 1, data: [{ id: showing.id, beginPrice: 68 }] });

      const all = await t.http.get(`${api}?city=${town}`).expect(200);
      expect(all.body.data.find((c: { id: number }) => c.id === showing.id).beginPrice).toBe(39.9);
    });

    it('should not list a suspended cinema even when it has showtimes of the movie', async () => {
      const movie = await givenMovie(t);
      const cinema = await givenCinema(t, { status: 'suspended' });
      await givenShowtimeOf(t, await givenHall(t, cinema.id), movie, 120);
      const res = await t.http.get(`${api}?movieId=${movie.id}`).expect(200);
      expect(res.body).toMatchObject({ total: 0, data: [] });
    });

    it.each([
      ['movieId', 'movieId=abc'],
      ['movieId', 'movieId=0'],
      ['pageSize', 'pageSize=101'],
      ['page', 'page=0'],
    ])('should refuse a bad %s with 1002', async (field, query) => {
      const res = await t.http.get(`${api}?${query}`).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [{ field }] });
    });
  });

  describe('GET /cinemas/:id', () => {
    it('should show the public profile without owner or payment account', async () => {
      const owner = await givenUser(t, 'merchant');
      const cinema = await givenCinema(t, { ownerId: owner.user.id, tel: '021-1234', paymentAccount: 'ICBC 6222' });
      const res = await t.http.get(`${api}/${cinema.id}`).expect(200);
      expect(res.body.data).toEqual({
        id: cinema.id,
        name: cinema.name,
        city: cinema.city,
        address: cinema.address,
        status: 'active',
        logoUrl: null,
        tel: '021-1234',
        website: null,
        description: null,
        contactName: null,
        contactPhone: null,
        noSingleSeatGap: false,
        createdAt: expect.stringMatching(/Z$/),
      });
    });

    it('should show owner and payment account to the owner and admins, not to other merchants', async () => {
      const owner = await givenUser(t, 'merchant');
      const cinema = await givenCinema(t, { ownerId: owner.user.id, paymentAccount: 'ICBC 6222' });
      for (const caller of [owner, await givenUser(t, 'admin')]) {
        const res = await t.http.get(`${api}/${cinema.id}`).set(caller.auth).expect(200);
        expect(res.body.data).toMatchObject({ ownerId: owner.user.id, paymentAccount: 'ICBC 6222' });
      }
      const stranger = await givenUser(t, 'merchant');
      const res = await t.http.get(`${api}/${cinema.id}`).set(stranger.auth).expect(200);
      expect(res.body.data).not.toHaveProperty('paymentAccount');
      expect(res.body.data).not.toHaveProperty('ownerId');
    });

    it('should hide a suspended cinema from the public (1014) but not from its owner or an admin', async () => {
      const owner = await givenUser(t, 'merchant');
      const cinema = await givenCinema(t, { ownerId: owner.user.id, status: 'suspended' });
      expect((await t.http.get(`${api}/${cinema.id}`).expect(404)).body.code).toBe(1014);
      const stranger = await givenUser(t, 'merchant');
      expect((await t.http.get(`${api}/${cinema.id}`).set(stranger.auth).expect(404)).body.code).toBe(1014);
      const customer = await givenUser(t, 'customer');
      await t.http.get(`${api}/${cinema.id}`).set(customer.auth).expect(404);
      const mine = await t.http.get(`${api}/${cinema.id}`).set(owner.auth).expect(200);
      expect(mine.body.data.status).toBe('suspended');
      await t.http
        .get(`${api}/${cinema.id}`)
        .set((await givenUser(t, 'admin')).auth)
        .expect(200);
    });

    it('should answer an unknown cinema with 1014, a bad id with 1002 and a bad token with 1007', async () => {
      expect((await t.http.get(`${api}/999999999`).expect(404)).body.code).toBe(1014);
      expect((await t.http.get(`${api}/x1`).expect(400)).body).toMatchObject({ code: 1002, data: [{ field: 'id' }] });
      const cinema = await givenCinema(t);
      const res = await t.http.get(`${api}/${cinema.id}`).set('Authorization', 'Bearer nonsense').expect(401);
      expect(res.body.code).toBe(1007);
    });
  });

  describe('POST /cinemas', () => {
    it('should create an active cinema without owner for an admin (201)', async () => {
      const admin = await givenUser(t, 'admin');
      const res = await t.http
        .post(api)
        .set(admin.auth)
        .send({ name: ' 新影城 ', city: 'Shanghai', address: '1 Road' })
        .expect(201);
      expect(res.body.data).toMatchObject({ name: '新影城', city: 'Shanghai', status: 'active', ownerId: null });
      expect(await cinemaRow(res.body.data.id)).toMatchObject({ name: '新影城', ownerId: null, status: 'active' });
    });

    it('should make a customer owner a merchant and revoke their tokens', async () => {
      const admin = await givenUser(t, 'admin');
      const owner = await givenUser(t, 'customer');
      const res = await t.http
        .post(api)
        .set(admin.auth)
        .send({ name: unique('C '), city: 'Beijing', address: '2 Road', ownerId: owner.user.id })
        .expect(201);
      expect(res.body.data.ownerId).toBe(owner.user.id);
      expect(await t.db.getRepository(User).findOneByOrFail({ id: owner.user.id })).toMatchObject({
        role: 'merchant',
        tokenVersion: 1,
      });
      await t.http.get('/api/v1/merchant-applications/mine').set(owner.auth).expect(401);
    });

    it('should keep a merchant owner as it is', async () => {
      const admin = await givenUser(t, 'admin');
      const owner = await givenUser(t, 'merchant');
      await t.http
        .post(api)
        .set(admin.auth)
        .send({ name: unique('C '), city: 'Beijing', address: '2 Road', ownerId: owner.user.id })
        .expect(201);
      expect(await t.db.getRepository(User).findOneByOrFail({ id: owner.user.id })).toMatchObject({
        role: 'merchant',
        tokenVersion: 0,
      });
    });

    it('should refuse an owner who does not exist with 1002 on ownerId and create nothing', async () => {
      const admin = await givenUser(t, 'admin');
      const name = unique('Ghost ');
      const res = await t.http
        .post(api)
        .set(admin.auth)
        .send({ name, city: 'Beijing', address: '2 Road', ownerId: 999999999 })
        .expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [{ field: 'ownerId' }] });
      expect(await t.db.getRepository(Cinema).countBy({ name })).toBe(0);
    });

    it.each([
      ['name', { name: '' }],
      ['city', { city: 42 }],
      ['address', { address: 'x'.repeat(201) }],
      ['ownerId', { ownerId: 'me' }],
      ['status', { status: 'active' }],
    ])('should refuse a bad %s with 1002', async (field, override) => {
      const admin = await givenUser(t, 'admin');
      const body = { name: unique('C '), city: 'Shanghai', address: '1 Road', ...override };
      const res = await t.http.post(api).set(admin.auth).send(body).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field })] });
    });

    it('should refuse merchants and customers with 1013, anonymous callers with 1007', async () => {
      const body = { name: unique('C '), city: 'Shanghai', address: '1 Road' };
      for (const role of ['merchant', 'customer'] as const) {
        const caller = await givenUser(t, role);
        expect((await t.http.post(api).set(caller.auth).send(body).expect(403)).body.code).toBe(1013);
      }
      expect((await t.http.post(api).send(body).expect(401)).body.code).toBe(1007);
      expect(await t.db.getRepository(Cinema).countBy({ name: body.name })).toBe(0);
    });
  });

  describe('PATCH /cinemas/:id', () => {
    const profile = {
      logoUrl: 'https://cdn.example.com/logo.png',
      tel: '021-6468 8801',
      website: 'https://cinema.example.com',
      description: '杜比全景声',
      contactName: '周经理',
      contactPhone: '13800138000',
      paymentAccount: 'ICBC 6222 0000',
    };

    it('should let the owner edit every profile field', async () => {
      const owner = await givenUser(t, 'merchant');
      const cinema = await givenCinema(t, { ownerId: owner.user.id });
      const res = await t.http.patch(`${api}/${cinema.id}`).set(owner.auth).send(profile).expect(200);
      expect(res.body.data).toMatchObject({ ...profile, id: cinema.id, status: 'active', ownerId: owner.user.id });
      expect(await cinemaRow(cinema.id)).toMatchObject(profile);
    });

    it('should clear a field sent as null and leave the others alone', async () => {
      const owner = await givenUser(t, 'merchant');
      const cinema = await givenCinema(t, { ownerId: owner.user.id, tel: '021-1', website: 'https://a.example' });
      await t.http.patch(`${api}/${cinema.id}`).set(owner.auth).send({ tel: null }).expect(200);
      expect(await cinemaRow(cinema.id)).toMatchObject({ tel: null, website: 'https://a.example' });
    });

    it("should let an admin edit any cinema's profile and status", async () => {
      const admin = await givenUser(t, 'admin');
      const cinema = await givenCinema(t, { city: city() });
      const res = await t.http
        .patch(`${api}/${cinema.id}`)
        .set(admin.auth)
        .send({ status: 'suspended', tel: '010-1' })
        .expect(200);
      expect(res.body.data).toMatchObject({ status: 'suspended', tel: '010-1' });
      expect(await cinemaRow(cinema.id)).toMatchObject({ status: 'suspended', tel: '010-1' });
      const list = await t.http.get(`${api}?city=${cinema.city}`).expect(200);
      expect(list.body.total).toBe(0);

      await t.http.patch(`${api}/${cinema.id}`).set(admin.auth).send({ status: 'active' }).expect(200);
      expect((await t.http.get(`${api}?city=${cinema.city}`).expect(200)).body.total).toBe(1);
    });

    it('should refuse a merchant sending status with 1013 and change nothing', async () => {
      const owner = await givenUser(t, 'merchant');
      const cinema = await givenCinema(t, { ownerId: owner.user.id, status: 'suspended' });
      const res = await t.http
        .patch(`${api}/${cinema.id}`)
        .set(owner.auth)
        .send({ status: 'active', tel: '021-9' })
        .expect(403);
      expect(res.body.code).toBe(1013);
      expect(await cinemaRow(cinema.id)).toMatchObject({ status: 'suspended', tel: null });
    });

    it("should refuse another merchant's cinema with 1013 and customers with 1013", async () => {
      const cinema = await givenCinema(t, { ownerId: (await givenUser(t, 'merchant')).user.id });
      for (const role of ['merchant', 'customer'] as const) {
        const caller = await givenUser(t, role);
        const res = await t.http.patch(`${api}/${cinema.id}`).set(caller.auth).send({ tel: '1-1' }).expect(403);
        expect(res.body.code).toBe(1013);
      }
      expect((await cinemaRow(cinema.id)).tel).toBeNull();
    });

    it('should answer an unknown cinema with 1014', async () => {
      const admin = await givenUser(t, 'admin');
      const res = await t.http.patch(`${api}/999999999`).set(admin.auth).send({ tel: '1-1' }).expect(404);
      expect(res.body.code).toBe(1014);
    });

    it.each([
      ['status', { status: 'closed' }],
      ['status', { status: null }],
      ['logoUrl', { logoUrl: 'ftp://x.example/logo.png' }],
      ['website', { website: 'not a url' }],
      ['tel', { tel: 'call me' }],
      ['contactPhone', { contactPhone: '1'.repeat(21) }],
      ['name', { name: 'renamed' }],
      ['ownerId', { ownerId: 1 }],
    ])('should refuse a bad %s with 1002', async (field, body) => {
      const admin = await givenUser(t, 'admin');
      const cinema = await givenCinema(t);
      const res = await t.http.patch(`${api}/${cinema.id}`).set(admin.auth).send(body).expect(400);
      expect(res.body).toMatchObject({ code: 1002, data: [expect.objectContaining({ field })] });
      expect((await cinemaRow(cinema.id)).status).toBe('active');
    });
  });
});
