import { CodeTarget } from '../src/auth/entities/code-target.entity';
import { VerificationCode } from '../src/auth/entities/verification-code.entity';
import { localDay } from '../src/common/time';
import {
  AccountsTestApp,
  allowResend as allowResendTo,
  bootAccountsApp,
  CAPTCHA_ANSWER,
  GOOD_PASSWORD,
  newCaptcha,
  newEmail,
  newName,
  newPhone,
  requestSmsCode,
} from './support/accounts';
import { givenUser } from './support/factories';

describe('SMS and email codes (CONTRACT 2)', () => {
  let a: AccountsTestApp;

  beforeAll(async () => {
    a = await bootAccountsApp();
  });

  afterAll(async () => {
    await a.close();
  });

  const smsCode = async (phone: string, purpose: string, status: number) => {
    const captcha = { captchaId: await newCaptcha(a.t), captchaCode: CAPTCHA_ANSWER };
    return a.t.http
      .post('/api/v1/auth/sms-code')
      .send({ phone, purpose, ...captcha })
      .expect(status);
  };
  const emailCode = (email: string, purpose = 'register') =>
    a.t.http.post('/api/v1/auth/email-code').send({ email, purpose });
  const codesOf = (target: string) =>
    a.t.db.getRepository(VerificationCode).find({ where: { target }, order: { id: 'ASC' } });
  const allowResend = (target: string) => allowResendTo(a.t, target);
  const registerWith = (phone: string, code: string) =>
    a.t.http.post('/api/v1/auth/register').send({ name: newName(), password: GOOD_PASSWORD, phone, smsCode: code });

  it('should POST the code as JSON to the SMS webhook and store only its hash, valid 5 minutes', async () => {
    const phone = newPhone();
    const res = await smsCode(phone, 'register', 200);
    expect(res.body).toEqual({ code: 1000, msg: 'ok', data: { expiresIn: 300 } });
    const code = a.sms.inbox.latest(phone);
    expect(code).toMatch(/^\d{6}$/);
    expect(a.sms.bodies.at(-1)).toEqual({ phone, code, purpose: 'register', contentType: 'application/json' });
    const [row] = await codesOf(phone);
    expect(row).toMatchObject({ purpose: 'register', attempts: 0 });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).not.toContain(code);
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(290_000);
  });

  it('should send the email code through the SMTP server, to the lower-cased address', async () => {
    const email = newEmail();
    expect((await emailCode(email).expect(200)).body.data).toEqual({ expiresIn: 300 });
    expect(a.mail.inbox.latest(email.toLowerCase())).toMatch(/^\d{6}$/);
    expect(await codesOf(email.toLowerCase())).toHaveLength(1);
  });

  it('should answer 1009 for a wrong captcha and use that captcha up', async () => {
    const phone = newPhone();
    const captchaId = await newCaptcha(a.t);
    const send = (captchaCode: string) =>
      a.t.http.post('/api/v1/auth/sms-code').send({ phone, purpose: 'register', captchaId, captchaCode });
    expect((await send('zzzz').expect(400)).body).toMatchObject({ code: 1009, data: null });
    expect((await send(CAPTCHA_ANSWER).expect(400)).body.code).toBe(1009);
    expect(a.sms.inbox.count(phone)).toBe(0);
  });

  it('should use a captcha once only', async () => {
    const captchaId = await newCaptcha(a.t);
    const send = () =>
      a.t.http
        .post('/api/v1/auth/sms-code')
        .send({ phone: newPhone(), purpose: 'register', captchaId, captchaCode: CAPTCHA_ANSWER });
    await send().expect(200);
    expect((await send().expect(400)).body.code).toBe(1009);
  });

  it('should refuse register codes to a registered phone (1004) or email (1003)', async () => {
    const phone = newPhone();
    const email = newEmail().toLowerCase();
    await givenUser(a.t, 'customer', { phone, email });
    expect((await smsCode(phone, 'register', 409)).body.code).toBe(1004);
    expect((await emailCode(email.toUpperCase()).expect(409)).body.code).toBe(1003);
  });

  it('should refuse login and reset codes to an unknown phone or email with 1006', async () => {
    expect((await smsCode(newPhone(), 'login', 404)).body.code).toBe(1006);
    expect((await smsCode(newPhone(), 'reset', 404)).body.code).toBe(1006);
    expect((await emailCode(newEmail(), 'reset').expect(404)).body.code).toBe(1006);
    expect((await emailCode(newEmail(), 'login').expect(404)).body.code).toBe(1006);
  });

  it('should send login and reset codes to a registered phone', async () => {
    const phone = newPhone();
    await givenUser(a.t, 'customer', { phone });
    await smsCode(phone, 'login', 200);
    expect(a.sms.bodies.at(-1)).toMatchObject({ phone, purpose: 'login' });
    await allowResend(phone);
    await smsCode(phone, 'reset', 200);
    expect(a.sms.bodies.at(-1)).toMatchObject({ phone, purpose: 'reset' });
  });

  it('should refuse a second code to the same target within 30 s with 1012 and Retry-After', async () => {
    const email = newEmail().toLowerCase();
    await emailCode(email).expect(200);
    const res = await emailCode(email).expect(429);
    expect(res.body.code).toBe(1012);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(29);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(a.mail.inbox.count(email)).toBe(1);
    await allowResend(email);
    await emailCode(email).expect(200);
    expect(a.mail.inbox.count(email)).toBe(2);
  });

  it('should hold the 30 s interval across purposes and channels of one phone', async () => {
    const phone = newPhone();
    await givenUser(a.t, 'customer', { phone });
    await smsCode(phone, 'login', 200);
    expect((await smsCode(phone, 'reset', 429)).body.code).toBe(1012);
  });

  it('should let exactly one of racing requests for one email through', async () => {
    const email = newEmail().toLowerCase();
    const results = await Promise.all(Array.from({ length: 6 }, () => emailCode(email)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 429, 429, 429, 429, 429]);
    expect(a.mail.inbox.count(email)).toBe(1);
    expect(await codesOf(email)).toHaveLength(1);
    expect(await a.t.db.getRepository(CodeTarget).findOneByOrFail({ target: email })).toMatchObject({ sentToday: 1 });
  });

  it('should allow 10 codes a day per target, then 1012, and count again the next day', async () => {
    const email = newEmail().toLowerCase();
    for (let i = 0; i < 10; i++) {
      await emailCode(email).expect(200);
      await allowResend(email);
    }
    const refused = await emailCode(email).expect(429);
    expect(refused.body).toMatchObject({ code: 1012, msg: expect.stringMatching(/10 codes a day/) });
    expect(a.mail.inbox.count(email)).toBe(10);
    const yesterday = localDay(new Date(Date.now() - 86_400_000), 'Asia/Shanghai');
    await a.t.db.getRepository(CodeTarget).update({ target: email }, { day: yesterday });
    await emailCode(email).expect(200);
    const row = await a.t.db.getRepository(CodeTarget).findOneByOrFail({ target: email });
    expect(row).toMatchObject({ sentToday: 1, day: localDay(new Date(), 'Asia/Shanghai') });
  });

  it('should answer 1010 to 5 wrong tries, then 1011 even for the right code', async () => {
    const phone = newPhone();
    const code = await requestSmsCode(a, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 5; i++) {
      const res = await registerWith(phone, wrong).expect(400);
      expect(res.body.code).toBe(1010);
    }
    expect((await registerWith(phone, wrong).expect(429)).body.code).toBe(1011);
    expect((await registerWith(phone, code).expect(429)).body.code).toBe(1011);
    const [row] = await codesOf(phone);
    expect(row).toMatchObject({ attempts: 5, used: false });
  });

  it('should make a code single use', async () => {
    const phone = newPhone();
    await givenUser(a.t, 'customer', { phone });
    const code = await requestSmsCode(a, phone, 'login');
    const login = () => a.t.http.post('/api/v1/auth/login').send({ phone, smsCode: code });
    await login().expect(200);
    expect((await login().expect(400)).body.code).toBe(1010);
    expect((await codesOf(phone))[0]).toMatchObject({ used: true });
  });

  it('should refuse an expired code with 1010', async () => {
    const phone = newPhone();
    const code = await requestSmsCode(a, phone);
    await a.t.db.getRepository(VerificationCode).update({ target: phone }, { expiresAt: new Date(Date.now() - 1) });
    expect((await registerWith(phone, code).expect(400)).body.code).toBe(1010);
  });

  it('should retire an older code when a newer one is sent', async () => {
    const phone = newPhone();
    const first = await requestSmsCode(a, phone);
    await allowResend(phone);
    const second = await requestSmsCode(a, phone);
    if (first !== second) expect((await registerWith(phone, first).expect(400)).body.code).toBe(1010);
    await registerWith(phone, second).expect(201);
  });

  it('should refuse bad input with 1002 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ phone: '12345678901', purpose: 'register' }, 'phone'],
      [{ phone: '1380013800', purpose: 'register' }, 'phone'],
      [{ phone: newPhone(), purpose: 'signup' }, 'purpose'],
    ];
    for (const [body, field] of cases) {
      const captcha = { captchaId: await newCaptcha(a.t), captchaCode: CAPTCHA_ANSWER };
      const res = await a.t.http
        .post('/api/v1/auth/sms-code')
        .send({ ...body, ...captcha })
        .expect(400);
      expect(res.body.code).toBe(1002);
      expect(res.body.data.map((e: { field: string }) => e.field)).toContain(field);
    }
    const noCaptcha = await a.t.http.post('/api/v1/auth/sms-code').send({ phone: newPhone(), purpose: 'register' });
    expect(noCaptcha.body.data.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['captchaId', 'captchaCode']),
    );
    const badEmail = await emailCode('not-an-email').expect(400);
    expect(badEmail.body.data[0].field).toBe('email');
  });

  it('should answer 5000 without internals when the SMS gateway fails', async () => {
    a.sms.failWith = 502;
    try {
      const res = await smsCode(newPhone(), 'register', 500);
      expect(res.body).toEqual({ code: 5000, msg: expect.stringMatching(/could not be delivered/), data: null });
    } finally {
      a.sms.failWith = null;
    }
  });
});
