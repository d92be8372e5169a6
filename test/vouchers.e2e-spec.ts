import { In } from 'typeorm';
import { Order, OrderStatus } from '../src/ticketing/entities/order.entity';
import { Voucher } from '../src/vouchers/entities/voucher.entity';
import { givenCinema, givenMovie, givenShowtime, givenUser, GivenUser } from './support/factories';
import { givenOwnedCinema, OwnedCinema } from './support/scheduling';
import { bootTestApp, TestApp, unique } from './support/test-app';

const MINUTE = 60_000;

describe('Vouchers (CONTRACT section 13)', () => {
  let t: TestApp;
  let admin: GivenUser;
  let customer: GivenUser;
  let owned: OwnedCinema;
  let stranger: OwnedCinema;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await givenUser(t, 'admin');
    customer = await givenUser(t, 'customer');
    owned = await givenOwnedCinema(t);
    stranger = await givenOwnedCinema(t);
  });

  afterAll(async () => {
    await t.close();
  });

  const voucherRow = (id: number) => t.db.getRepository(Voucher).findOneBy({ id });
  /** The vouchers of this file's two cinemas: other test files may write vouchers to a shared database. */
  const voucherCount = () =>
    t.db.getRepository(Voucher).countBy({ cinemaId: In([owned.cinema.id, stranger.cinema.id]) });
  /** A fresh code: letters and digits only, 4–32 of them. */
  const newCode = (prefix = 'V') => unique(prefix).toUpperCase();
  const amountBody = (fields: Record<string, unknown> = {}) => ({
    cinemaId: owned.cinema.id,
    kind: 'amount',
    value: 10.5,
    maxUses: 100,
    ...fields,
  });
  const create = (who: GivenUser, body: Record<string, unknown>) =>
    t.http.post('/api/v1/vouchers').set(who.auth).send(body);

  /** An order carrying the voucher, written as ticketing leaves it. */
  async function givenOrderWith(voucherId: number, status: OrderStatus, expiresAt: Date): Promise<Order> {
    const { schedule } = await givenShowtime(t);
    const buyer = await givenUser(t, 'customer');
    return t.db.getRepository(Order).save({
      userId: buyer.user.id,
      scheduleId: schedule.id,
      status,
      seats: [{ row: 1, col: 1 }],
      unitPriceCents: schedule.priceCents,
      amountCents: schedule.priceCents - 100,
      discountCents: 100,
      voucherId,
      voucherCode: 'X',
      expiresAt,
      paidAt: status === 'paid' ? new Date() : null,
    });
  }

  describe('POST /vouchers', () => {
    it('should let an admin create a platform-wide voucher, the code kept upper case and the amount in cents', async () => {
      const code = newCode('spring').toLowerCase();
      const res = await create(admin, { kind: 'amount', value: 10.5, maxUses: 50, code }).expect(201);
      expect(res.body).toEqual({
        code: 1000,
        msg: 'ok',
        data: {
          id: expect.any(Number),
          code: code.toUpperCase(),
          cinemaId: null,
          movieId: null,
          kind: 'amount',
          value: 10.5,
          maxUses: 50,
          perUserMaxUses: 1,
          minSeats: 1,
          validFrom: null,
          validTo: null,
          active: true,
          uses: 0,
          createdAt: expect.stringMatching(/Z$/),
        },
      });
      expect(await voucherRow(res.body.data.id)).toMatchObject({
        code: code.toUpperCase(),
        cinemaId: null,
        kind: 'amount',
        value: 1050,
        maxUses: 50,
        active: true,
      });
    });

    it('should let the owner create a percent voucher for their cinema and a movie, with a generated code', async () => {
      const movie = await givenMovie(t);
      const res = await create(owned.merchant, {
        cinemaId: owned.cinema.id,
        movieId: movie.id,
        kind: 'percent',
        value: 15,
        maxUses: 10,
        perUserMaxUses: 2,
        minSeats: 2,
        validFrom: '2027-01-01T00:00:00+08:00',
        validTo: '2027-02-01T00:00:00+08:00',
      }).expect(201);
      expect(res.body.data).toMatchObject({
        code: expect.stringMatching(/^[A-Z0-9]{10}$/),
        cinemaId: owned.cinema.id,
        movieId: movie.id,
        kind: 'percent',
        value: 15,
        perUserMaxUses: 2,
        minSeats: 2,
        validFrom: '2026-12-31T16:00:00.000Z',
        validTo: '2027-01-31T16:00:00.000Z',
        uses: 0,
      });
      expect(await voucherRow(res.body.data.id)).toMatchObject({ value: 15, kind: 'percent', movieId: movie.id });
    });

    it('should answer 1015 to a code already taken, in any case, and write nothing', async () => {
      const code = newCode();
      await create(owned.merchant, amountBody({ code })).expect(201);
      const before = await voucherCount();
      for (const taken of [code, code.toLowerCase(), ` ${code.toLowerCase()} `]) {
        const res = await create(stranger.merchant, amountBody({ cinemaId: stranger.cinema.id, code: taken }));
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ code: 1015, data: null });
      }
      const res = await create(admin, amountBody({ cinemaId: undefined, code: code.toLowerCase() }));
      expect(res.body.code).toBe(1015);
      expect(await voucherCount()).toBe(before);
      expect(await t.db.getRepository(Voucher).countBy({ code })).toBe(1);
    });

    it.each([
      [{ kind: 'gift' }, 'kind'],
      [{ kind: undefined }, 'kind'],
      [{ value: 0 }, 'value'],
      [{ value: -5 }, 'value'],
      [{ value: 1.005 }, 'value'],
      [{ value: '10' }, 'value'],
      [{ kind: 'percent', value: 0 }, 'value'],
      [{ kind: 'percent', value: 100 }, 'value'],
      [{ kind: 'percent', value: 12.5 }, 'value'],
      [{ maxUses: 0 }, 'maxUses'],
      [{ maxUses: 1.5 }, 'maxUses'],
      [{ maxUses: undefined }, 'maxUses'],
      [{ perUserMaxUses: 0 }, 'perUserMaxUses'],
      [{ perUserMaxUses: null }, 'perUserMaxUses'],
      [{ minSeats: 0 }, 'minSeats'],
      [{ minSeats: 7 }, 'minSeats'],
      [{ validFrom: '2027-01-01T00:00:00' }, 'validFrom'],
      [{ validFrom: '2027-02-01T00:00:00+08:00', validTo: '2027-01-01T00:00:00+08:00' }, 'validTo'],
      [{ validFrom: '2027-01-01T00:00:00+08:00', validTo: '2026-12-31T16:00:00Z' }, 'validTo'],
      [{ code: 'AB-12' }, 'code'],
      [{ code: 'ABC' }, 'code'],
      [{ code: 'A'.repeat(33) }, 'code'],
      [{ code: 'ÄBCD' }, 'code'],
      [{ code: null }, 'code'],
      [{ cinemaId: 'x' }, 'cinemaId'],
      [{ extra: 1 }, 'extra'],
    ])('should answer 1002 to %j naming %s', async (fields, field) => {
      const before = await voucherCount();
      const res = await create(owned.merchant, amountBody(fields)).expect(400);
      expect(res.body.code).toBe(1002);
      expect(res.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await voucherCount()).toBe(before);
    });

    it('should require a cinema of a merchant (1002) and refuse another owner’s cinema (1013)', async () => {
      const before = await voucherCount();
      const missing = await create(owned.merchant, amountBody({ cinemaId: undefined })).expect(400);
      expect(missing.body).toMatchObject({ code: 1002, data: [{ field: 'cinemaId' }] });
      const other = await create(owned.merchant, amountBody({ cinemaId: stranger.cinema.id })).expect(403);
      expect(other.body.code).toBe(1013);
      const ownerless = await givenCinema(t);
      expect((await create(owned.merchant, amountBody({ cinemaId: ownerless.id })).expect(403)).body.code).toBe(1013);
      expect(await voucherCount()).toBe(before);
    });

    it('should answer 1014 to an unknown cinema or movie', async () => {
      expect((await create(admin, amountBody({ cinemaId: 2_000_000_000 })).expect(404)).body.code).toBe(1014);
      expect((await create(owned.merchant, amountBody({ movieId: 2_000_000_000 })).expect(404)).body.code).toBe(1014);
    });

    it('should refuse a customer with 1013 and no token with 1007', async () => {
      expect((await create(customer, amountBody()).expect(403)).body.code).toBe(1013);
      const res = await t.http.post('/api/v1/vouchers').send(amountBody()).expect(401);
      expect(res.body.code).toBe(1007);
    });
  });

  describe('GET /vouchers', () => {
    let merchant: GivenUser;
    let cinemaA: number;
    let cinemaB: number;
    let ids: number[];

    beforeAll(async () => {
      const first = await givenOwnedCinema(t);
      merchant = first.merchant;
      cinemaA = first.cinema.id;
      cinemaB = (await givenCinema(t, { ownerId: merchant.user.id })).id;
      ids = [];
      for (const cinemaId of [cinemaA, cinemaA, cinemaB]) {
        ids.push((await create(merchant, amountBody({ cinemaId })).expect(201)).body.data.id);
      }
      await t.http.patch(`/api/v1/vouchers/${ids[1]}`).set(merchant.auth).send({ active: false }).expect(200);
    });

    const list = (who: GivenUser, query: Record<string, string | number>) =>
      t.http.get('/api/v1/vouchers').set(who.auth).query(query);

    it('should page a merchant’s vouchers across their cinemas, newest first, with total', async () => {
      const first = await list(merchant, { page: 1, pageSize: 2 }).expect(200);
      expect(first.body).toMatchObject({ code: 1000, total: 3 });
      expect(first.body.data.map((v: { id: number }) => v.id)).toEqual([ids[2], ids[1]]);
      const second = await list(merchant, { page: 2, pageSize: 2 }).expect(200);
      expect(second.body.total).toBe(3);
      expect(second.body.data.map((v: { id: number }) => v.id)).toEqual([ids[0]]);
      expect(second.body.data[0]).toMatchObject({ value: 10.5, uses: 0, cinemaId: cinemaA });
    });

    it('should filter by active and by cinema', async () => {
      const inactive = await list(merchant, { active: 'false' }).expect(200);
      expect(inactive.body.total).toBe(1);
      expect(inactive.body.data[0]).toMatchObject({ id: ids[1], active: false });
      const active = await list(merchant, { active: 'true' }).expect(200);
      expect(active.body.data.map((v: { id: number }) => v.id)).toEqual([ids[2], ids[0]]);
      const ofB = await list(merchant, { cinemaId: cinemaB }).expect(200);
      expect(ofB.body).toMatchObject({ total: 1, data: [{ id: ids[2] }] });
      const adminOfA = await list(admin, { cinemaId: cinemaA }).expect(200);
      expect(adminOfA.body.data.map((v: { id: number }) => v.id)).toEqual([ids[1], ids[0]]);
      expect(adminOfA.body.total).toBe(2);
    });

    it('should show a merchant only their own cinemas’ vouchers', async () => {
      const other = await givenOwnedCinema(t);
      const mine = await list(other.merchant, {}).expect(200);
      expect(mine.body).toMatchObject({ total: 0, data: [] });
      expect((await list(other.merchant, { cinemaId: cinemaA }).expect(403)).body.code).toBe(1013);
      expect((await list(other.merchant, { cinemaId: 2_000_000_000 }).expect(404)).body.code).toBe(1014);
    });

    it('should let an admin see every voucher, platform-wide ones too', async () => {
      const res = await list(admin, { pageSize: 100 }).expect(200);
      expect(res.body.total).toBeGreaterThanOrEqual(3);
      expect(res.body.data.length).toBeLessThanOrEqual(100);
    });

    it('should answer 1002 to a bad filter and 1013 to a customer', async () => {
      expect((await list(merchant, { active: 'maybe' }).expect(400)).body.data[0].field).toBe('active');
      expect((await list(merchant, { pageSize: 101 }).expect(400)).body.code).toBe(1002);
      expect((await list(customer, {}).expect(403)).body.code).toBe(1013);
    });
  });

  describe('GET and PATCH /vouchers/:id', () => {
    let voucherId: number;
    let platformId: number;

    beforeAll(async () => {
      const res = await create(owned.merchant, amountBody({ validFrom: '2026-01-01T00:00:00+08:00', maxUses: 5 }));
      voucherId = res.body.data.id;
      platformId = (await create(admin, amountBody({ cinemaId: undefined })).expect(201)).body.data.id;
    });

    const get = (who: GivenUser, id: number) => t.http.get(`/api/v1/vouchers/${id}`).set(who.auth);
    const patch = (who: GivenUser, id: number, body: Record<string, unknown>) =>
      t.http.patch(`/api/v1/vouchers/${id}`).set(who.auth).send(body);

    it('should show the owner and an admin the voucher, and hide it from others with 1014', async () => {
      expect((await get(owned.merchant, voucherId).expect(200)).body.data).toMatchObject({ id: voucherId, uses: 0 });
      expect((await get(admin, voucherId).expect(200)).body.data.id).toBe(voucherId);
      expect((await get(stranger.merchant, voucherId).expect(404)).body.code).toBe(1014);
      expect((await get(owned.merchant, platformId).expect(404)).body.code).toBe(1014);
      expect((await get(admin, 2_000_000_000).expect(404)).body.code).toBe(1014);
      expect((await get(customer, voucherId).expect(403)).body.code).toBe(1013);
      expect((await get(admin, 0).expect(400)).body.code).toBe(1002);
    });

    it('should switch a voucher off and move its end', async () => {
      const off = await patch(owned.merchant, voucherId, { active: false }).expect(200);
      expect(off.body.data).toMatchObject({ active: false, maxUses: 5 });
      const moved = await patch(owned.merchant, voucherId, {
        active: true,
        validTo: '2027-03-01T12:00:00+08:00',
      }).expect(200);
      expect(moved.body.data).toMatchObject({ active: true, validTo: '2027-03-01T04:00:00.000Z' });
      expect(await voucherRow(voucherId)).toMatchObject({
        active: true,
        validTo: new Date('2027-03-01T04:00:00.000Z'),
      });
      const open = await patch(admin, voucherId, { validTo: null }).expect(200);
      expect(open.body.data.validTo).toBeNull();
    });

    it('should refuse a validTo before validFrom and bad fields with 1002, changing nothing', async () => {
      for (const [body, field] of [
        [{ validTo: '2025-12-31T00:00:00+08:00' }, 'validTo'],
        [{ validTo: '2027-01-01 00:00' }, 'validTo'],
        [{ maxUses: 0 }, 'maxUses'],
        [{ active: 'yes' }, 'active'],
        [{ code: 'NEWCODE1' }, 'code'],
      ] as const) {
        const res = await patch(owned.merchant, voucherId, body).expect(400);
        expect(res.body).toMatchObject({ code: 1002, data: [{ field }] });
      }
      expect(await voucherRow(voucherId)).toMatchObject({ maxUses: 5, validTo: null, active: true });
    });

    it('should count live orders as uses and refuse maxUses below them with 1002', async () => {
      const soon = new Date(Date.now() + 15 * MINUTE);
      await givenOrderWith(voucherId, 'pending', soon);
      await givenOrderWith(voucherId, 'paid', soon);
      await givenOrderWith(voucherId, 'pending', new Date(Date.now() - MINUTE));
      await givenOrderWith(voucherId, 'cancelled', soon);
      await givenOrderWith(voucherId, 'refunded', soon);
      expect((await get(owned.merchant, voucherId).expect(200)).body.data.uses).toBe(2);
      const listed = await t.http.get('/api/v1/vouchers').set(admin.auth).query({ cinemaId: owned.cinema.id });
      expect(listed.body.data.find((v: { id: number }) => v.id === voucherId).uses).toBe(2);

      const below = await patch(owned.merchant, voucherId, { maxUses: 1 }).expect(400);
      expect(below.body).toMatchObject({ code: 1002, data: [{ field: 'maxUses' }] });
      expect(below.body.msg).toContain('2');
      expect((await voucherRow(voucherId))?.maxUses).toBe(5);
      const equal = await patch(owned.merchant, voucherId, { maxUses: 2 }).expect(200);
      expect(equal.body.data).toMatchObject({ maxUses: 2, uses: 2 });
      expect((await voucherRow(voucherId))?.maxUses).toBe(2);
    });

    it('should let only an admin change a platform-wide voucher, and hide others’ vouchers with 1014', async () => {
      expect((await patch(owned.merchant, platformId, { active: false }).expect(404)).body.code).toBe(1014);
      expect((await patch(stranger.merchant, voucherId, { active: false }).expect(404)).body.code).toBe(1014);
      expect((await patch(customer, voucherId, { active: false }).expect(403)).body.code).toBe(1013);
      expect((await voucherRow(platformId))?.active).toBe(true);
      expect((await voucherRow(voucherId))?.active).toBe(true);
      const res = await patch(admin, platformId, { active: false, maxUses: 7 }).expect(200);
      expect(res.body.data).toMatchObject({ id: platformId, active: false, maxUses: 7, cinemaId: null });
      expect((await patch(admin, 2_000_000_000, { active: false }).expect(404)).body.code).toBe(1014);
    });
  });
});
