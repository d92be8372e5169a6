import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccountsCleanupService } from '../src/auth/accounts-cleanup.service';
import { AdminBootstrapService } from '../src/auth/admin-bootstrap.service';
import { Captcha } from '../src/auth/entities/captcha.entity';
import { CodeTarget } from '../src/auth/entities/code-target.entity';
import { RevokedToken } from '../src/auth/entities/revoked-token.entity';
import { VerificationCode } from '../src/auth/entities/verification-code.entity';
import { User } from '../src/users/entities/user.entity';
import { CAPTCHA_ANSWER, loginWithPassword, newEmail, newPhone } from './support/accounts';
import { givenUser } from './support/factories';
import { bootTestApp, TestApp, unique } from './support/test-app';

/** CONTRACT 9: first admin, per-IP rate limits, codes in the log without SMTP_URL / with SMS_DRIVER=log. */
describe('Accounts operations (CONTRACT 9)', () => {
  const adminName = unique('boss_');
  const adminPassword = 'Admin12345';
  let t: TestApp;
  let logged: string[];

  beforeAll(async () => {
    logged = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
    t = await bootTestApp({
      RATE_LIMITS: 'on',
      ADMIN_NAME: adminName,
      ADMIN_PASSWORD: adminPassword,
      SMS_DRIVER: 'log',
    });
  });

  afterAll(async () => {
    await t.close();
    jest.restoreAllMocks();
  });

  /** Each test acts from its own client address (trusted from loopback), so budgets never mix. */
  const fromIp = () => `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;

  it('should create the first admin at start-up, once, even when instances start together', async () => {
    const admins = () => t.db.getRepository(User).findBy({ nameKey: adminName.toLowerCase() });
    expect((await admins()).map((u) => u.role)).toEqual(['admin']);
    const bootstrap = t.app.get(AdminBootstrapService);
    await bootstrap.onApplicationBootstrap();
    expect(await admins()).toHaveLength(1);
    await t.db.getRepository(User).delete({ nameKey: adminName.toLowerCase() });
    await Promise.all([1, 2, 3].map(() => bootstrap.onApplicationBootstrap()));
    expect(await admins()).toHaveLength(1);
    const session = await loginWithPassword(t, adminName, adminPassword);
    expect(session.body.data.user.role).toBe('admin');
  });

  it('should answer 429 + 1012 with Retry-After past the captcha budget of one address', async () => {
    const ip = fromIp();
    for (let i = 0; i < 30; i++) await t.http.get('/api/v1/captcha').set('X-Forwarded-For', ip).expect(200);
    const limited = await t.http.get('/api/v1/captcha').set('X-Forwarded-For', ip).expect(429);
    expect(limited.body).toEqual({ code: 1012, msg: expect.any(String), data: null });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.get('/api/v1/captcha').set('X-Forwarded-For', fromIp()).expect(200);
    const verify = { captchaId: 'x', code: 'abcd' };
    await t.http.post('/api/v1/captcha/verify').set('X-Forwarded-For', ip).send(verify).expect(200);
  });

  it('should limit login attempts per address before the auth guard looks at the request', async () => {
    const ip = fromIp();
    const attempt = () =>
      t.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ account: 'x', password: 'y', captchaId: 'none', captchaCode: 'abcd' });
    for (let i = 0; i < 10; i++) expect((await attempt()).body.code).toBe(1009);
    expect((await attempt().expect(429)).body.code).toBe(1012);
    const malformedAuth = await t.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', ip)
      .set('Authorization', 'Basic abc')
      .send({});
    expect([malformedAuth.status, malformedAuth.body.code]).toEqual([429, 1012]);
  });

  it('should limit code requests per address', async () => {
    const ip = fromIp();
    const ask = () =>
      t.http
        .post('/api/v1/auth/email-code')
        .set('X-Forwarded-For', ip)
        .send({ email: newEmail(), purpose: 'register' });
    for (let i = 0; i < 5; i++) await ask().expect(200);
    expect((await ask().expect(429)).body.code).toBe(1012);
  });

  it('should not limit routes outside the captcha, code and login endpoints', async () => {
    const u = await givenUser(t);
    for (let i = 0; i < 40; i++) await t.http.get('/api/v1/users/me').set(u.auth).expect(200);
  });

  it('should write email codes to the log without SMTP_URL and SMS codes with SMS_DRIVER=log', async () => {
    const email = newEmail().toLowerCase();
    await t.http
      .post('/api/v1/auth/email-code')
      .set('X-Forwarded-For', fromIp())
      .send({ email, purpose: 'register' })
      .expect(200);
    expect(logged.some((line) => line.includes(email) && /\b\d{6}\b/.test(line))).toBe(true);
    const phone = newPhone();
    const captcha = await t.http.get('/api/v1/captcha').set('X-Forwarded-For', fromIp()).expect(200);
    await t.http
      .post('/api/v1/auth/sms-code')
      .set('X-Forwarded-For', fromIp())
      .send({ phone, purpose: 'register', captchaId: captcha.body.data.captchaId, captchaCode: CAPTCHA_ANSWER })
      .expect(200);
    expect(logged.some((line) => line.includes(phone) && /\b\d{6}\b/.test(line))).toBe(true);
  });

  it('should purge expired captchas, logout entries, old codes and idle counters, and keep live ones', async () => {
    const past = new Date(Date.now() - 3 * 86_400_000);
    const future = new Date(Date.now() + 60_000);
    const [oldId, liveId] = [randomUUID(), randomUUID()];
    await t.db.getRepository(Captcha).insert([
      { id: oldId, answerHash: 'x'.repeat(64), expiresAt: past },
      { id: liveId, answerHash: 'x'.repeat(64), expiresAt: future },
    ]);
    await t.db.getRepository(RevokedToken).insert([
      { tokenId: oldId, userId: 1, expiresAt: past },
      { tokenId: liveId, userId: 1, expiresAt: future },
    ]);
    const [oldTarget, liveTarget] = [newPhone(), newPhone()];
    await t.db.getRepository(CodeTarget).insert([
      { target: oldTarget, lastSentAt: past, day: '2026-01-01', sentToday: 1 },
      { target: liveTarget, lastSentAt: new Date(), day: '2026-01-01', sentToday: 1 },
    ]);
    await t.db.getRepository(VerificationCode).insert([
      { target: oldTarget, purpose: 'login', codeHash: 'x'.repeat(64), expiresAt: past, createdAt: past },
      { target: liveTarget, purpose: 'login', codeHash: 'x'.repeat(64), expiresAt: future, createdAt: new Date() },
    ]);
    await t.app.get(AccountsCleanupService).purge();
    expect((await t.db.getRepository(Captcha).findBy([{ id: oldId }, { id: liveId }])).map((c) => c.id)).toEqual([
      liveId,
    ]);
    const tokens = await t.db.getRepository(RevokedToken).findBy([{ tokenId: oldId }, { tokenId: liveId }]);
    expect(tokens.map((r) => r.tokenId)).toEqual([liveId]);
    const targets = await t.db.getRepository(CodeTarget).findBy([{ target: oldTarget }, { target: liveTarget }]);
    expect(targets.map((r) => r.target)).toEqual([liveTarget]);
    const codes = await t.db.getRepository(VerificationCode).findBy([{ target: oldTarget }, { target: liveTarget }]);
    expect(codes.map((r) => r.target)).toEqual([liveTarget]);
  });
});
