import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createTtmsClient, TtmsError, unwrap, type TtmsClient } from '../clients/typescript/src';
import { AccountsTestApp, bootAccountsApp, CAPTCHA_ANSWER, GOOD_PASSWORD, newName, newPhone } from './support/accounts';
import { givenShowtime, GivenShowtime } from './support/factories';

/**
 * The generated client (clients/typescript) against a live server on a real port: every request
 * below goes through it, as a front-end's would. Only the SMS code is read from the test's inbox.
 */
describe('TypeScript client (CONTRACT 16)', () => {
  let a: AccountsTestApp;
  let baseUrl: string;
  let given: GivenShowtime;

  beforeAll(async () => {
    a = await bootAccountsApp();
    await a.t.app.listen(0, '127.0.0.1');
    const { port } = (a.t.app.getHttpServer() as Server).address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    given = await givenShowtime(a.t, { priceCents: 4550, hall: { rows: 5, cols: 8 } });
  });

  afterAll(() => a.close());

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a TtmsError');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(TtmsError);
        return error as TtmsError;
      },
    );

  async function signUp(ttms: TtmsClient): Promise<{ phone: string; name: string }> {
    const phone = newPhone();
    const name = newName();
    const sms = await ttms.captcha();
    await unwrap(
      ttms.POST('/api/v1/auth/sms-code', {
        body: { phone, purpose: 'register', captchaId: sms.captchaId, captchaCode: CAPTCHA_ANSWER },
      }),
    );
    const session = await ttms.register({ name, password: GOOD_PASSWORD, phone, smsCode: a.sms.inbox.latest(phone) });
    expect(session.user).toMatchObject({ name, phone, role: 'customer' });
    expect(ttms.getToken()).toBe(session.token);
    return { phone, name };
  }

  it('should register, log in, list showtimes, read the seat map, hold, pay and read the ticket', async () => {
    const { phone, name } = await signUp(createTtmsClient({ baseUrl }));

    // A second client signs in with the captcha, as a returning user's browser does.
    const ttms = createTtmsClient({ baseUrl });
    const captcha = await ttms.captcha();
    expect(captcha.image).toMatch(/^data:image\/svg\+xml;base64,/);
    const session = await ttms.login({
      account: phone,
      password: GOOD_PASSWORD,
      captchaId: captcha.captchaId,
      captchaCode: CAPTCHA_ANSWER,
    });
    expect(session.user.name).toBe(name);
    expect(session.expiresIn).toBeGreaterThan(0);
    const me = await unwrap(ttms.GET('/api/v1/users/me'));
    expect(me.phone).toBe(phone);

    const page = await ttms.showtimes({ cinemaId: given.cinema.id, pageSize: 10 });
    expect(page.total).toBe(1);
    const showtime = page.data[0];
    expect(showtime).toMatchObject({ id: given.schedule.id, movieTitle: given.movie.title, price: 45.5 });

    const map = await ttms.seatMap(showtime.id);
    expect(map).toMatchObject({ scheduleId: showtime.id, rows: 5, cols: 8, price: 45.5 });
    expect(map.seats).toHaveLength(40);
    const seats = map.seats.filter((s) => s.row === 3 && (s.col === 1 || s.col === 2));
    expect(seats.map((s) => s.status)).toEqual(['available', 'available']);

    const held = await ttms.hold(
      { scheduleId: showtime.id, seats: seats.map(({ row, col }) => ({ row, col })) },
      { idempotencyKey: `hold-${phone}` },
    );
    expect(held).toMatchObject({ status: 'pending', amount: 91, ticketCode: null, scheduleId: showtime.id });
    expect(Date.parse(held.expiresAt)).toBeGreaterThan(Date.now());
    expect(
      (await ttms.seatMap(showtime.id)).seats.filter((s) => s.row === 3 && s.col <= 2).map((s) => s.status),
    ).toEqual(['held', 'held']);

    const paid = await ttms.pay(held.id, { channel: 'mock' });
    expect(paid).toMatchObject({ id: held.id, status: 'paid' });
    expect(paid.ticketCode).toMatch(/^\d{16}$/);
    expect(paid.paidAt).not.toBeNull();

    const ticket = await ttms.order(held.id);
    expect(ticket).toMatchObject({ status: 'paid', ticketCode: paid.ticketCode, movieTitle: given.movie.title });
    expect(ticket.seats.map(({ row, col }) => ({ row, col }))).toEqual([
      { row: 3, col: 1 },
      { row: 3, col: 2 },
    ]);

    const svg = await ttms.ticketQrSvg(held.id);
    expect(svg).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
    const png = await ttms.ticketQrPng(held.id);
    expect(png.type).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );

    const sold = (await ttms.seatMap(showtime.id)).seats.filter((s) => s.row === 3 && s.col <= 2);
    expect(sold.map((s) => s.status)).toEqual(['sold', 'sold']);
  });

  it('should throw TtmsError with the status, code and msg of error answers', async () => {
    const ttms = createTtmsClient({ baseUrl });
    const anonymous = await failure(ttms.order(1));
    expect(anonymous).toMatchObject({ status: 401, code: 1007 });

    const captcha = await ttms.captcha();
    const wrong = await failure(
      ttms.login({ account: newName(), password: GOOD_PASSWORD, captchaId: captcha.captchaId, captchaCode: 'zzzz' }),
    );
    expect(wrong).toMatchObject({ status: 400, code: 1009 });

    await signUp(ttms);
    const first = await ttms.hold({ scheduleId: given.schedule.id, seats: [{ row: 5, col: 1 }] });
    expect(first.status).toBe('pending');
    const other = createTtmsClient({ baseUrl });
    await signUp(other);
    const taken = await failure(other.hold({ scheduleId: given.schedule.id, seats: [{ row: 5, col: 1 }] }));
    expect(taken).toMatchObject({ status: 409, code: 2003 });
    expect(taken.msg).toEqual(expect.any(String));

    const invalid = await failure(other.hold({ scheduleId: given.schedule.id, seats: [] }));
    expect(invalid).toMatchObject({ status: 400, code: 1002 });

    const missing = await failure(other.order(first.id));
    expect(missing).toMatchObject({ status: 404, code: 1014 });

    await other.logout();
    expect(other.getToken()).toBeNull();
  });
});
