import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { TokenService } from '../src/auth/token.service';
import { Cinema } from '../src/catalog/entities/cinema.entity';
import { Movie } from '../src/catalog/entities/movie.entity';
import { Hall } from '../src/halls/entities/hall.entity';
import { MerchantApplication } from '../src/merchants/entities/merchant-application.entity';
import { Schedule } from '../src/schedules/entities/schedule.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { SeatClaim } from '../src/ticketing/entities/seat-claim.entity';
import { User } from '../src/users/entities/user.entity';
import { applicationBody, movieBody } from './support/catalog';
import { givenShowtime, GivenShowtime, givenUser, GivenUser } from './support/factories';
import { craftJwt, jwtClaims } from './support/security';
import { bootTestApp, TestApp, unique } from './support/test-app';
import { API, buyTickets, hold } from './support/ticketing';

/**
 * Issue 12, access control (OWASP API1 broken object level authorization, API2 broken
 * authentication, API3 mass assignment, API5 function level authorization). The first users own
 * a cinema, a hall, a showtime, orders and an application; users of every role try them: 1013 or
 * 1014, never data, and nothing they own changes.
 */
describe('Access control (issue 12)', () => {
  let t: TestApp;
  /** The first users: the cinema's merchant and a customer with a paid and a pending order. */
  let owned: GivenShowtime;
  let customer: GivenUser;
  let paid: { id: number; ticketCode: string };
  let pendingId: number;
  let applicationId: number;
  /** The second users, one of each role. */
  let intruders: Record<'customer' | 'merchant' | 'admin', GivenUser>;

  beforeAll(async () => {
    t = await bootTestApp();
    owned = await givenShowtime(t, { hall: { rows: 5, cols: 8 } });
    customer = await givenUser(t, 'customer');
    paid = await buyTickets(t.http, customer, owned.schedule.id, [{ row: 1, col: 1 }]);
    pendingId = (await hold(t.http, customer, owned.schedule.id, [{ row: 2, col: 2 }]).expect(201)).body.data.id;
    const application = await t.http
      .post(`${API}/merchant-applications`)
      .set(customer.auth)
      .send(applicationBody(unique()))
      .expect(201);
    applicationId = application.body.data.id;
    const rival = await givenShowtime(t);
    intruders = {
      customer: await givenUser(t, 'customer'),
      merchant: rival.merchant,
      admin: await givenUser(t, 'admin'),
    };
  });

  afterAll(async () => {
    await t.close();
  });

  /** Everything the first users own, as the database holds it. */
  async function ownedState() {
    const { cinema, schedule, movie, merchant } = owned;
    return {
      orders: await t.db.getRepository(Order).find({ where: { userId: customer.user.id }, order: { id: 'ASC' } }),
      claims: await t.db.getRepository(SeatClaim).find({ where: { scheduleId: schedule.id }, order: { id: 'ASC' } }),
      cinema: await t.db.getRepository(Cinema).findOneBy({ id: cinema.id }),
      halls: await t.db.getRepository(Hall).find({ where: { cinemaId: cinema.id }, order: { id: 'ASC' } }),
      schedules: await t.db.getRepository(Schedule).find({ where: { cinemaId: cinema.id }, order: { id: 'ASC' } }),
      movie: await t.db.getRepository(Movie).findOneBy({ id: movie.id }),
      application: await t.db.getRepository(MerchantApplication).findOneBy({ id: applicationId }),
      users: await t.db.getRepository(User).find({ where: [{ id: customer.user.id }, { id: merchant.user.id }] }),
    };
  }

  const request = (who: GivenUser, method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const req = t.http[method](`${API}${path}`).set(who.auth);
    return body === undefined ? req : req.send(body);
  };

  describe('a second user of each role on the first users’ resources', () => {
    type Intruder = 'customer' | 'merchant' | 'admin' | 'cinemaOwner';
    interface Case {
      what: string;
      send: (who: GivenUser) => ReturnType<typeof request>;
      denied: Partial<Record<Intruder, 1013 | 1014>>;
    }
    const day = new Date().toISOString().slice(0, 10);
    const later = () => new Date(Date.now() + 3 * 86_400_000).toISOString();
    const cases: Case[] = [
      {
        what: 'GET /orders/:id',
        send: (u) => request(u, 'get', `/orders/${paid.id}`),
        denied: { customer: 1014, merchant: 1014 },
      },
      {
        what: 'GET /orders/:id/qrcode',
        send: (u) => request(u, 'get', `/orders/${paid.id}/qrcode`),
        denied: { customer: 1014, merchant: 1014, admin: 1014, cinemaOwner: 1014 },
      },
      {
        what: 'POST /orders/:id/pay',
        send: (u) => request(u, 'post', `/orders/${pendingId}/pay`, { channel: 'mock' }),
        denied: { customer: 1014, merchant: 1014, admin: 1014, cinemaOwner: 1014 },
      },
      {
        what: 'POST /orders/:id/cancel',
        send: (u) => request(u, 'post', `/orders/${pendingId}/cancel`),
        denied: { customer: 1014, merchant: 1014, admin: 1014, cinemaOwner: 1014 },
      },
      {
        what: 'POST /orders/:id/refund',
        send: (u) => request(u, 'post', `/orders/${paid.id}/refund`),
        denied: { customer: 1014, merchant: 1014, admin: 1014, cinemaOwner: 1014 },
      },
      {
        what: 'POST /tickets/check-in',
        send: (u) => request(u, 'post', '/tickets/check-in', { ticketCode: paid.ticketCode }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'PATCH /cinemas/:id',
        send: (u) => request(u, 'patch', `/cinemas/${owned.cinema.id}`, { tel: '021-0000' }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'POST /halls',
        send: (u) => request(u, 'post', '/halls', { cinemaId: owned.cinema.id, name: unique('H'), rows: 2, cols: 2 }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'PATCH /halls/:id',
        send: (u) => request(u, 'patch', `/halls/${owned.hall.id}`, { name: unique('H') }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'DELETE /halls/:id',
        send: (u) => request(u, 'delete', `/halls/${owned.hall.id}`),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'POST /schedules',
        send: (u) =>
          request(u, 'post', '/schedules', {
            movieId: owned.movie.id,
            hallId: owned.hall.id,
            startsAt: later(),
            price: 30,
          }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'PATCH /schedules/:id',
        send: (u) => request(u, 'patch', `/schedules/${owned.schedule.id}`, { price: 1 }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'DELETE /schedules/:id',
        send: (u) => request(u, 'delete', `/schedules/${owned.schedule.id}`),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'GET /box-office/movies?cinemaId=',
        send: (u) => request(u, 'get', `/box-office/movies?from=${day}&to=${day}&cinemaId=${owned.cinema.id}`),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'GET /box-office/daily?cinemaId=',
        send: (u) => request(u, 'get', `/box-office/daily?from=${day}&to=${day}&cinemaId=${owned.cinema.id}`),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'POST /merchant-applications/:id/approve',
        send: (u) => request(u, 'post', `/merchant-applications/${applicationId}/approve`),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'POST /merchant-applications/:id/reject',
        send: (u) => request(u, 'post', `/merchant-applications/${applicationId}/reject`, { reason: 'no' }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'GET /merchant-applications',
        send: (u) => request(u, 'get', '/merchant-applications?status=pending'),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'PATCH /users/:id',
        send: (u) => request(u, 'patch', `/users/${customer.user.id}`, { disabled: true }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'GET /users',
        send: (u) => request(u, 'get', `/users?q=${customer.user.name}`),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'POST /cinemas',
        send: (u) => request(u, 'post', '/cinemas', { name: unique('C'), city: 'X', address: 'Y', ownerId: u.user.id }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'PATCH /movies/:id',
        send: (u) => request(u, 'patch', `/movies/${owned.movie.id}`, { title: unique('T') }),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'DELETE /movies/:id',
        send: (u) => request(u, 'delete', `/movies/${owned.movie.id}`),
        denied: { customer: 1013, merchant: 1013 },
      },
      {
        what: 'POST /movies',
        send: (u) => request(u, 'post', '/movies', movieBody(unique('M'))),
        denied: { customer: 1013, merchant: 1013 },
      },
    ];
    const rows = cases.flatMap((c) =>
      (Object.entries(c.denied) as [Intruder, 1013 | 1014][]).map(([who, code]) => [c.what, who, code, c] as const),
    );

    it.each(rows)('%s by another %s answers %d, no data, nothing changed', async (_what, who, code, c) => {
      const before = await ownedState();
      const caller = who === 'cinemaOwner' ? owned.merchant : intruders[who];
      const res = await c.send(caller);
      expect([res.status, res.body]).toEqual([
        code === 1013 ? 403 : 404,
        { code, msg: expect.any(String), data: null },
      ]);
      expect(await ownedState()).toEqual(before);
    });

    it('should let the owner, an admin and the cinema owner read the order, the ticket code only to its owner', async () => {
      const own = await request(customer, 'get', `/orders/${paid.id}`).expect(200);
      expect(own.body.data.ticketCode).toBe(paid.ticketCode);
      for (const staff of [intruders.admin, owned.merchant]) {
        const res = await request(staff, 'get', `/orders/${paid.id}`).expect(200);
        expect(res.body.data).toMatchObject({ id: paid.id, userId: customer.user.id, ticketCode: null });
      }
    });

    it('should list only the caller’s own orders and applications, and hide a cinema’s owner and account', async () => {
      const orders = await request(intruders.customer, 'get', '/orders?pageSize=100').expect(200);
      expect(orders.body).toMatchObject({ data: [], total: 0 });
      const mine = await request(intruders.customer, 'get', '/merchant-applications/mine').expect(200);
      expect(mine.body).toMatchObject({ data: [], total: 0 });
      await t.db.getRepository(Cinema).update({ id: owned.cinema.id }, { paymentAccount: 'CN-BANK-0001' });
      for (const who of [intruders.customer, intruders.merchant]) {
        const profile = await request(who, 'get', `/cinemas/${owned.cinema.id}`).expect(200);
        expect(profile.body.data).not.toHaveProperty('ownerId');
        expect(JSON.stringify(profile.body)).not.toContain('CN-BANK-0001');
      }
      const anonymous = await t.http.get(`${API}/cinemas/${owned.cinema.id}`).expect(200);
      expect(JSON.stringify(anonymous.body)).not.toContain('CN-BANK-0001');
      const ownerView = await request(owned.merchant, 'get', `/cinemas/${owned.cinema.id}`).expect(200);
      expect(ownerView.body.data).toMatchObject({ ownerId: owned.merchant.user.id, paymentAccount: 'CN-BANK-0001' });
    });

    it('should hide a suspended cinema from everyone but its owner and admins', async () => {
      const { cinema, merchant } = await givenShowtime(t);
      await t.db.getRepository(Cinema).update({ id: cinema.id }, { status: 'suspended' });
      for (const who of [intruders.customer, intruders.merchant]) {
        const res = await request(who, 'get', `/cinemas/${cinema.id}`).expect(404);
        expect(res.body).toEqual({ code: 1014, msg: expect.any(String), data: null });
      }
      await t.http.get(`${API}/cinemas/${cinema.id}`).expect(404);
      await request(merchant, 'get', `/cinemas/${cinema.id}`).expect(200);
      await request(intruders.admin, 'get', `/cinemas/${cinema.id}`).expect(200);
    });

    it('should not let a merchant move its own showtime into another cinema’s hall', async () => {
      const rival = await givenShowtime(t);
      const before = await t.db.getRepository(Schedule).findOneByOrFail({ id: rival.schedule.id });
      const res = await request(rival.merchant, 'patch', `/schedules/${rival.schedule.id}`, { hallId: owned.hall.id });
      // The hall exists, so this is not a 1014; it is simply not a hall the showtime may move to.
      expect([res.status, res.body.code, res.body.data]).toEqual([
        400,
        1002,
        [{ field: 'hallId', message: expect.any(String) }],
      ]);
      expect(await t.db.getRepository(Schedule).findOneByOrFail({ id: rival.schedule.id })).toEqual(before);
    });
  });

  describe('JWT tampering', () => {
    const secret = 'e2e-secret-0123456789abcdef';
    const me = (token: string) => t.http.get(`${API}/users/me`).set('Authorization', `Bearer ${token}`);
    const adminList = (token: string) => t.http.get(`${API}/users`).set('Authorization', `Bearer ${token}`);
    const now = () => Math.floor(Date.now() / 1000);
    const claimsOf = (u: GivenUser, extra: Record<string, unknown> = {}) => ({
      sub: u.user.id,
      role: u.user.role,
      ver: u.user.tokenVersion,
      jti: randomUUID(),
      iat: now(),
      exp: now() + 3600,
      ...extra,
    });

    it('should take a genuine token (the control)', async () => {
      const u = await givenUser(t, 'customer');
      expect((await me(craftJwt({ alg: 'HS256', typ: 'JWT' }, claimsOf(u), secret)).expect(200)).body.data.id).toBe(
        u.user.id,
      );
    });

    it('should refuse alg none, a foreign secret, another algorithm and an edited payload with 1007', async () => {
      const u = await givenUser(t, 'customer');
      const asAdmin = claimsOf(u, { role: 'admin' });
      const [header, , signature] = u.token.split('.');
      const editedPayload = Buffer.from(JSON.stringify({ ...jwtClaims(u.token), role: 'admin' })).toString('base64url');
      const forged = {
        'alg none': craftJwt({ alg: 'none', typ: 'JWT' }, asAdmin),
        'alg NONE': craftJwt({ alg: 'NONE', typ: 'JWT' }, asAdmin),
        'HS256 header without a signature': craftJwt({ alg: 'HS256', typ: 'JWT' }, asAdmin),
        'another secret': craftJwt({ alg: 'HS256', typ: 'JWT' }, asAdmin, 'another-secret-0123456789'),
        'an empty secret': craftJwt({ alg: 'HS256', typ: 'JWT', kid: '../../../dev/null' }, asAdmin, ''),
        'HS512 with the right secret': craftJwt({ alg: 'HS512', typ: 'JWT' }, asAdmin, secret),
        'role claim edited, old signature kept': `${header}.${editedPayload}.${signature}`,
        'role claim edited, re-signed with a wrong secret': craftJwt(
          { alg: 'HS256', typ: 'JWT' },
          { ...jwtClaims(u.token), role: 'admin' },
          'wrong-secret-0123456789',
        ),
        'role claim edited, unsigned': craftJwt({ alg: 'none' }, { ...jwtClaims(u.token), role: 'admin' }),
        'expired and forged': craftJwt({ alg: 'HS256' }, claimsOf(u, { exp: now() - 60 }), 'wrong-secret-0123456789'),
        'no such user': craftJwt({ alg: 'HS256' }, claimsOf(u, { sub: 2_147_483_000 }), secret),
        // Validly signed but malformed claims (only possible with a leaked secret) must not reach a query.
        'a string user id': craftJwt({ alg: 'HS256' }, claimsOf(u, { sub: `${u.user.id}' OR '1'='1` }), secret),
        'a numeric-string user id': craftJwt({ alg: 'HS256' }, claimsOf(u, { sub: String(u.user.id) }), secret),
        'a missing token version': craftJwt({ alg: 'HS256' }, claimsOf(u, { ver: undefined }), secret),
      };
      for (const [what, token] of Object.entries(forged)) {
        const res = await adminList(token);
        expect([what, res.status, res.body]).toEqual([what, 401, { code: 1007, msg: expect.any(String), data: null }]);
      }
    });

    it('should take the role from the database, not from a claim', async () => {
      const u = await givenUser(t, 'customer');
      const admin = craftJwt({ alg: 'HS256', typ: 'JWT' }, claimsOf(u, { role: 'admin' }), secret);
      expect((await adminList(admin).expect(403)).body.code).toBe(1013);
      expect((await me(admin).expect(200)).body.data.role).toBe('customer');
    });

    it('should answer 1008 for an expired token, 1007 once it is revoked, disabled, superseded or a reset token', async () => {
      const expiredUser = await givenUser(t, 'customer');
      const expired = craftJwt({ alg: 'HS256' }, claimsOf(expiredUser, { iat: now() - 7200, exp: now() - 10 }), secret);
      expect((await me(expired).expect(401)).body.code).toBe(1008);

      const loggedOut = await givenUser(t, 'customer');
      await t.http.post(`${API}/auth/logout`).set(loggedOut.auth).expect(200);
      expect((await me(loggedOut.token).expect(401)).body.code).toBe(1007);

      const disabled = await givenUser(t, 'customer');
      await request(intruders.admin, 'patch', `/users/${disabled.user.id}`, { disabled: true }).expect(200);
      expect((await me(disabled.token).expect(401)).body.code).toBe(1007);

      const promoted = await givenUser(t, 'customer');
      await request(intruders.admin, 'patch', `/users/${promoted.user.id}`, { role: 'merchant' }).expect(200);
      expect((await me(promoted.token).expect(401)).body.code).toBe(1007);

      const resetting = await givenUser(t, 'customer');
      const resetToken = await t.app.get(TokenService).issueReset(resetting.user);
      expect((await me(resetToken).expect(401)).body.code).toBe(1007);
      expect((await adminList(resetToken).expect(401)).body.code).toBe(1007);
    });

    it('should refuse Authorization headers that are not one bearer token with 1007', async () => {
      const u = await givenUser(t, 'customer');
      for (const header of [
        'Bearer',
        `Basic ${Buffer.from('a:b').toString('base64')}`,
        `Bearer ${u.token} x`,
        u.token,
      ]) {
        const res = await t.http.get(`${API}/users/me`).set('Authorization', header).expect(401);
        expect(res.body).toEqual({ code: 1007, msg: expect.any(String), data: null });
      }
      // Signed with the app's key, but for a token version the user never had: the database has the last word.
      const ghost = await t.app
        .get(JwtService)
        .signAsync({ sub: u.user.id, role: 'admin', ver: 99, jti: randomUUID() });
      expect((await me(ghost).expect(401)).body.code).toBe(1007);
    });
  });

  describe('mass assignment', () => {
    interface MassCase {
      who: () => GivenUser;
      method: 'post' | 'patch' | 'get';
      path: () => string;
      body?: () => object;
      field: string;
    }
    const validHall = () => ({ cinemaId: owned.cinema.id, name: unique('H'), rows: 2, cols: 2 });
    const validSchedule = () => ({
      movieId: owned.movie.id,
      hallId: owned.hall.id,
      startsAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      price: 30,
    });
    const validOrder = () => ({ scheduleId: owned.schedule.id, seats: [{ row: 5, col: 8 }] });
    const cases: [string, MassCase][] = [
      ...(['role', 'disabled', 'tokenVersion', 'passwordHash', 'phone', 'email', 'avatarUrl', 'id'] as const).map(
        (field): [string, MassCase] => [
          `PATCH /users/me ${field}`,
          { who: () => customer, method: 'patch', path: () => '/users/me', body: () => ({ [field]: 'admin' }), field },
        ],
      ),
      ...(['passwordHash', 'tokenVersion', 'name', 'phone'] as const).map((field): [string, MassCase] => [
        `PATCH /users/:id ${field} (admin)`,
        {
          who: () => intruders.admin,
          method: 'patch',
          path: () => `/users/${customer.user.id}`,
          body: () => ({ [field]: 1 }),
          field,
        },
      ]),
      ...(['status', 'userId', 'cinemaId', 'rejectReason', 'reviewedAt'] as const).map((field): [string, MassCase] => [
        `POST /merchant-applications ${field}`,
        {
          who: () => intruders.customer,
          method: 'post',
          path: () => '/merchant-applications',
          body: () => applicationBody(unique(), { [field]: field === 'userId' ? customer.user.id : 'approved' }),
          field,
        },
      ]),
      [
        'PATCH /cinemas/:id ownerId (owner)',
        {
          who: () => owned.merchant,
          method: 'patch',
          path: () => `/cinemas/${owned.cinema.id}`,
          body: () => ({ ownerId: intruders.merchant.user.id }),
          field: 'ownerId',
        },
      ],
      [
        'POST /cinemas status (admin)',
        {
          who: () => intruders.admin,
          method: 'post',
          path: () => '/cinemas',
          body: () => ({ name: unique('C'), city: 'X', address: 'Y', status: 'suspended' }),
          field: 'status',
        },
      ],
      ...(['seatCount', 'id', 'deletedAt'] as const).map((field): [string, MassCase] => [
        `POST /halls ${field}`,
        {
          who: () => owned.merchant,
          method: 'post',
          path: () => '/halls',
          body: () => ({ ...validHall(), [field]: 999 }),
          field,
        },
      ]),
      ...(['cinemaId', 'seatCount'] as const).map((field): [string, MassCase] => [
        `PATCH /halls/:id ${field}`,
        {
          who: () => owned.merchant,
          method: 'patch',
          path: () => `/halls/${owned.hall.id}`,
          body: () => ({ [field]: intruders.merchant.user.id }),
          field,
        },
      ]),
      ...(['soldCount', 'seatCount', 'cinemaId', 'endsAt', 'priceCents'] as const).map((field): [string, MassCase] => [
        `POST /schedules ${field}`,
        {
          who: () => owned.merchant,
          method: 'post',
          path: () => '/schedules',
          body: () => ({ ...validSchedule(), [field]: 0 }),
          field,
        },
      ]),
      ...(['soldCount', 'movieId', 'cinemaId'] as const).map((field): [string, MassCase] => [
        `PATCH /schedules/:id ${field}`,
        {
          who: () => owned.merchant,
          method: 'patch',
          path: () => `/schedules/${owned.schedule.id}`,
          body: () => ({ [field]: 1 }),
          field,
        },
      ]),
      ...(['userId', 'status', 'amount', 'ticketCode', 'expiresAt', 'paidAt'] as const).map(
        (field): [string, MassCase] => [
          `POST /orders ${field}`,
          {
            who: () => intruders.customer,
            method: 'post',
            path: () => '/orders',
            body: () => ({ ...validOrder(), [field]: field === 'userId' ? customer.user.id : 'paid' }),
            field,
          },
        ],
      ),
      [
        'POST /orders seats[].status',
        {
          who: () => intruders.customer,
          method: 'post',
          path: () => '/orders',
          body: () => ({ scheduleId: owned.schedule.id, seats: [{ row: 5, col: 8, status: 'sold' }] }),
          field: 'seats.0.status',
        },
      ],
      ...(['amount', 'status', 'ticketCode'] as const).map((field): [string, MassCase] => [
        `POST /orders/:id/pay ${field}`,
        {
          who: () => customer,
          method: 'post',
          path: () => `/orders/${pendingId}/pay`,
          body: () => ({ channel: 'mock', [field]: field === 'amount' ? 0 : '1234567890123456' }),
          field,
        },
      ]),
      [
        'POST /tickets/check-in checkedInAt',
        {
          who: () => owned.merchant,
          method: 'post',
          path: () => '/tickets/check-in',
          body: () => ({ ticketCode: paid.ticketCode, checkedInAt: '2020-01-01T00:00:00Z' }),
          field: 'checkedInAt',
        },
      ],
      ...(['status', 'id', 'createdAt'] as const).map((field): [string, MassCase] => [
        `POST /movies ${field} (admin)`,
        {
          who: () => intruders.admin,
          method: 'post',
          path: () => '/movies',
          body: () => movieBody(unique('M'), { [field]: 'showing' }),
          field,
        },
      ]),
      [
        'GET /orders?userId=',
        {
          who: () => intruders.customer,
          method: 'get',
          path: () => `/orders?userId=${customer.user.id}`,
          field: 'userId',
        },
      ],
      [
        'GET /merchant-applications/mine?userId=',
        {
          who: () => intruders.customer,
          method: 'get',
          path: () => `/merchant-applications/mine?userId=${customer.user.id}`,
          field: 'userId',
        },
      ],
    ];

    it.each(cases)('%s answers 1002 naming the field, nothing changed', async (_name, c) => {
      const before = await ownedState();
      const appsBefore = await t.db.getRepository(MerchantApplication).countBy({ userId: intruders.customer.user.id });
      const res = await request(c.who(), c.method, c.path(), c.body?.());
      expect([res.status, res.body.code]).toEqual([400, 1002]);
      expect(res.body.data.map((e: { field: string }) => e.field)).toContain(c.field);
      expect(await ownedState()).toEqual(before);
      expect(await t.db.getRepository(MerchantApplication).countBy({ userId: intruders.customer.user.id })).toBe(
        appsBefore,
      );
    });

    it('should ignore a body sent to an action that takes none: approve gives the cinema to the applicant', async () => {
      const applicant = await givenUser(t, 'customer');
      const filed = await request(applicant, 'post', '/merchant-applications', applicationBody(unique())).expect(201);
      const res = await request(intruders.admin, 'post', `/merchant-applications/${filed.body.data.id}/approve`, {
        userId: intruders.merchant.user.id,
        ownerId: intruders.merchant.user.id,
      }).expect(200);
      const cinema = await t.db.getRepository(Cinema).findOneByOrFail({ id: res.body.data.cinemaId });
      expect(cinema.ownerId).toBe(applicant.user.id);
    });

    it('should ignore a body sent to cancel: the order is cancelled, not paid', async () => {
      const buyer = await givenUser(t, 'customer');
      const held = await hold(t.http, buyer, owned.schedule.id, [{ row: 4, col: 4 }]).expect(201);
      await request(buyer, 'post', `/orders/${held.body.data.id}/cancel`, {
        status: 'paid',
        ticketCode: '1234567890123456',
      }).expect(200);
      const row = await t.db.getRepository(Order).findOneByOrFail({ id: held.body.data.id });
      expect([row.status, row.ticketCode, row.paidAt]).toEqual(['cancelled', null, null]);
    });
  });
});
