import { VerificationCode } from '../src/auth/entities/verification-code.entity';
import { RATE_LIMITS } from '../src/auth/rate-limit';
import {
  AccountsTestApp,
  allowResend,
  bootAccountsApp,
  CAPTCHA_ANSWER,
  GOOD_PASSWORD,
  newEmail,
  newName,
  newPhone,
} from './support/accounts';
import { DEFAULT_PASSWORD, givenUser } from './support/factories';
import { externalAddress, freshIp, listeningPort, rawRequest } from './support/security';
import { API } from './support/ticketing';

/**
 * Issue 12, abuse, with the per-IP limits on. What test/auth-operations.e2e-spec.ts (captcha, login
 * and email-code budgets) and test/auth-codes.e2e-spec.ts (resend interval, daily cap, 5 tries,
 * single-use captcha) already prove is not repeated here: this file adds the remaining endpoints,
 * forged client addresses, attackers that rotate addresses, and attempts that race.
 */
describe('Abuse: rate limits, brute force, captcha replay (issue 12)', () => {
  let a: AccountsTestApp;

  beforeAll(async () => {
    a = await bootAccountsApp({ RATE_LIMITS: 'on' });
  });

  afterAll(async () => {
    await a.close();
  });

  const from = (ip: string) => ({
    get: (path: string) => a.t.http.get(`${API}${path}`).set('X-Forwarded-For', ip),
    post: (path: string, body: object = {}) => a.t.http.post(`${API}${path}`).set('X-Forwarded-For', ip).send(body),
  });
  const captcha = async () => (await from(freshIp()).get('/captcha').expect(200)).body.data.captchaId as string;
  /** Each code request from an address of its own, so that only the per-target rules apply. */
  async function smsCode(phone: string, purpose: string): Promise<string> {
    const body = { phone, purpose, captchaId: await captcha(), captchaCode: CAPTCHA_ANSWER };
    await from(freshIp()).post('/auth/sms-code', body).expect(200);
    return a.sms.inbox.latest(phone);
  }
  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');
  const expectLimited = (res: { status: number; body: unknown; headers: Record<string, string> }) => {
    expect([res.status, res.body]).toEqual([429, { code: 1012, msg: expect.any(String), data: null }]);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  };

  describe('per client address', () => {
    const endpoints: [string, keyof typeof RATE_LIMITS, (ip: string) => ReturnType<ReturnType<typeof from>['get']>][] =
      [
        ['POST /captcha/verify', 'captcha', (ip) => from(ip).post('/captcha/verify', { captchaId: 'x', code: 'abcd' })],
        ['POST /auth/sms-code', 'code', (ip) => from(ip).post('/auth/sms-code', {})],
        ['POST /auth/register', 'login', (ip) => from(ip).post('/auth/register', {})],
        ['POST /auth/password/verify-code', 'login', (ip) => from(ip).post('/auth/password/verify-code', {})],
        ['POST /auth/password/reset', 'login', (ip) => from(ip).post('/auth/password/reset', {})],
        ['GET /auth/availability', 'lookup', (ip) => from(ip).get(`/auth/availability?name=${newName()}`)],
        // Counted in auth-operations; here only their Retry-After.
        ['POST /auth/login', 'login', (ip) => from(ip).post('/auth/login', {})],
        ['POST /auth/email-code', 'code', (ip) => from(ip).post('/auth/email-code', {})],
      ];

    it.each(endpoints)(
      '%s: past its budget, 429 + 1012 with Retry-After; other addresses unaffected',
      async (_name, kind, send) => {
        const ip = freshIp();
        for (let i = 0; i < RATE_LIMITS[kind].limit; i++) expect((await send(ip)).status).not.toBe(429);
        expectLimited(await send(ip));
        expect((await send(freshIp())).status).not.toBe(429);
      },
    );

    it('should count each endpoint on its own: a spent login budget leaves the same address its other endpoints', async () => {
      const ip = freshIp();
      for (let i = 0; i < RATE_LIMITS.login.limit; i++) await from(ip).post('/auth/login', {});
      expectLimited(await from(ip).post('/auth/login', {}));
      expect((await from(ip).post('/auth/password/verify-code', {})).status).toBe(400);
      expect((await from(ip).get('/captcha')).status).toBe(200);
    });

    it('should not take an address the client put in front of its proxy’s', async () => {
      const real = freshIp();
      const send = () => from(`${freshIp()}, ${real}`).post('/auth/login', {});
      for (let i = 0; i < RATE_LIMITS.login.limit; i++) expect((await send()).status).toBe(400);
      expectLimited(await send());
    });

    const external = externalAddress();
    (external ? it : it.skip)('should ignore X-Forwarded-For from a peer that is not the trusted proxy', async () => {
      // A second app listening on a non-loopback address: its peers are not the trusted loopback proxy.
      const b = await bootAccountsApp({ RATE_LIMITS: 'on' });
      try {
        const port = await listeningPort(b.t, external);
        const send = () =>
          rawRequest(port, {
            host: external,
            method: 'POST',
            path: `${API}/auth/password/verify-code`,
            headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': freshIp() },
            body: '{}',
          });
        for (let i = 0; i < RATE_LIMITS.login.limit; i++) expect((await send()).status).toBe(400);
        const limited = await send();
        expect([limited.status, (limited.json as { code: number }).code]).toEqual([429, 1012]);
      } finally {
        await b.close();
      }
    });
  });

  describe('per phone or email, whatever the address', () => {
    it('should hold the 30 s interval and the daily cap against an attacker rotating addresses', async () => {
      const email = newEmail().toLowerCase();
      const ask = () => from(freshIp()).post('/auth/email-code', { email, purpose: 'register' });
      await ask().expect(200);
      const again = await ask().expect(429);
      expect(again.body.code).toBe(1012);
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(30);
      for (let sent = 1; sent < 10; sent++) {
        await allowResend(a.t, email);
        await ask().expect(200);
      }
      await allowResend(a.t, email);
      const capped = await ask().expect(429);
      expect(capped.body.code).toBe(1012);
      expect(a.mail.inbox.count(email)).toBe(10);
    });
  });

  describe('brute force of a 6-digit code', () => {
    it('should count at most 5 of 20 racing wrong guesses from 20 addresses, then refuse the right code (1011)', async () => {
      const phone = newPhone();
      const code = await smsCode(phone, 'register');
      const guess = (smsCode: string) =>
        from(freshIp()).post('/auth/register', { name: newName(), password: GOOD_PASSWORD, phone, smsCode });
      const answers = await Promise.all(Array.from({ length: 20 }, () => guess(wrongFor(code))));
      const codes = answers.map((r) => r.body.code as number);
      expect(codes.every((c) => c === 1010 || c === 1011)).toBe(true);
      expect(codes.filter((c) => c === 1010).length).toBeLessThanOrEqual(5);
      const right = await guess(code);
      expect([right.status, right.body.code]).toEqual([429, 1011]);
      const [row] = await a.t.db.getRepository(VerificationCode).findBy({ target: phone, purpose: 'register' });
      expect(row).toMatchObject({ attempts: 5, used: false });
    });

    it.each([
      ['login', (phone: string, code: string) => ({ path: '/auth/login', body: { phone, smsCode: code } })],
      ['reset', (phone: string, code: string) => ({ path: '/auth/password/verify-code', body: { phone, code } })],
    ])(
      'should lock a %s code after 5 wrong tries from rotating addresses, right code included',
      async (purpose, attempt) => {
        const phone = newPhone();
        await givenUser(a.t, 'customer', { phone });
        const code = await smsCode(phone, purpose);
        const send = (guess: string) => {
          const { path, body } = attempt(phone, guess);
          return from(freshIp()).post(path, body);
        };
        for (let i = 0; i < 5; i++) expect((await send(wrongFor(code)).expect(400)).body.code).toBe(1010);
        const right = await send(code).expect(429);
        expect(right.body).toEqual({ code: 1011, msg: expect.any(String), data: null });
      },
    );
  });

  describe('captcha replay', () => {
    it('should let exactly one of 10 racing logins use one captcha', async () => {
      const { user } = await givenUser(a.t, 'customer');
      const captchaId = await captcha();
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          from(freshIp()).post('/auth/login', {
            account: user.name,
            password: DEFAULT_PASSWORD,
            captchaId,
            captchaCode: CAPTCHA_ANSWER,
          }),
        ),
      );
      const statuses = answers.map((r) => `${r.status}/${r.body.code}`).sort();
      expect(statuses).toEqual([...Array(9).fill('400/1009'), '200/1000'].sort());
    });

    it('should let exactly one of 5 racing code requests use one captcha', async () => {
      const captchaId = await captcha();
      const phones = Array.from({ length: 5 }, () => newPhone());
      const answers = await Promise.all(
        phones.map((phone) =>
          from(freshIp()).post('/auth/sms-code', {
            phone,
            purpose: 'register',
            captchaId,
            captchaCode: CAPTCHA_ANSWER,
          }),
        ),
      );
      expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
      expect(answers.filter((r) => r.body.code === 1009)).toHaveLength(4);
      expect(phones.filter((p) => a.sms.inbox.count(p) > 0)).toHaveLength(1);
    });

    it('should not take a captcha used by a login again, for a login or a code request, though /captcha/verify found it valid', async () => {
      const { user } = await givenUser(a.t, 'customer');
      const captchaId = await captcha();
      const verdict = await from(freshIp()).post('/captcha/verify', { captchaId, code: CAPTCHA_ANSWER }).expect(200);
      expect(verdict.body.data).toEqual({ valid: true });
      const login = { account: user.name, password: DEFAULT_PASSWORD, captchaId, captchaCode: CAPTCHA_ANSWER };
      await from(freshIp()).post('/auth/login', login).expect(200);
      expect((await from(freshIp()).post('/auth/login', login).expect(400)).body.code).toBe(1009);
      const phone = newPhone();
      const code = { phone, purpose: 'register', captchaId, captchaCode: CAPTCHA_ANSWER };
      expect((await from(freshIp()).post('/auth/sms-code', code).expect(400)).body.code).toBe(1009);
      expect(a.sms.inbox.count(phone)).toBe(0);
    });
  });
});
