import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { Captcha } from '../src/auth/entities/captcha.entity';
import { RevokedToken } from '../src/auth/entities/revoked-token.entity';
import { TokenService } from '../src/auth/token.service';
import { User } from '../src/users/entities/user.entity';
import {
  AccountsTestApp,
  allowResend,
  bootAccountsApp,
  CAPTCHA_ANSWER,
  GOOD_PASSWORD,
  loginWithPassword,
  newCaptcha,
  newEmail,
  newPhone,
  registerByPhone,
  requestEmailCode,
  requestSmsCode,
} from './support/accounts';
import { DEFAULT_PASSWORD, givenUser } from './support/factories';

describe('Login, logout and password reset (CONTRACT 2)', () => {
  let a: AccountsTestApp;

  beforeAll(async () => {
    a = await bootAccountsApp();
  });

  afterAll(async () => {
    await a.close();
  });

  const login = (body: Record<string, unknown>) => a.t.http.post('/api/v1/auth/login').send(body);
  const me = (token: string) => a.t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${token}`);

  describe('with account + password + captcha', () => {
    it('should log in by name (any case), phone or email (any case)', async () => {
      const phone = newPhone();
      const email = newEmail().toLowerCase();
      const { user } = await givenUser(a.t, 'merchant', { phone, email });
      for (const account of [user.name.toUpperCase(), phone, email.toUpperCase()]) {
        const res = await loginWithPassword(a.t, account, DEFAULT_PASSWORD);
        expect([account, res.status, res.body.code]).toEqual([account, 200, 1000]);
        expect(res.body.data).toMatchObject({ expiresIn: 432000, user: { id: user.id, role: 'merchant' } });
        expect(res.body.data.user.passwordHash).toBeUndefined();
        await me(res.body.data.token).expect(200);
      }
    });

    it('should answer the same 1005 for a wrong password and an unknown account', async () => {
      const { user } = await givenUser(a.t);
      const wrong = await loginWithPassword(a.t, user.name, 'Wrong1234', 401);
      const unknown = await loginWithPassword(a.t, 'nobody_here', 'Wrong1234', 401);
      expect(wrong.body).toEqual({ code: 1005, msg: expect.any(String), data: null });
      expect(unknown.body).toEqual(wrong.body);
    });

    it('should answer 1009 for a wrong captcha, use it up, and never check the password', async () => {
      const { user } = await givenUser(a.t);
      const captchaId = await newCaptcha(a.t);
      const attempt = (captchaCode: string) =>
        login({ account: user.name, password: DEFAULT_PASSWORD, captchaId, captchaCode });
      expect((await attempt('nope').expect(400)).body.code).toBe(1009);
      expect((await attempt(CAPTCHA_ANSWER).expect(400)).body.code).toBe(1009);
      expect((await a.t.db.getRepository(Captcha).findOneByOrFail({ id: captchaId })).used).toBeTruthy();
    });

    it('should use the captcha once even when the login succeeds', async () => {
      const { user } = await givenUser(a.t);
      const body = {
        account: user.name,
        password: DEFAULT_PASSWORD,
        captchaId: await newCaptcha(a.t),
        captchaCode: 'ABCD',
      };
      await login(body).expect(200);
      expect((await login(body).expect(400)).body.code).toBe(1009);
    });

    it('should refuse an expired captcha with 1009', async () => {
      const { user } = await givenUser(a.t);
      const captchaId = await newCaptcha(a.t);
      await a.t.db.getRepository(Captcha).update({ id: captchaId }, { expiresAt: new Date(Date.now() - 1) });
      const res = await login({
        account: user.name,
        password: DEFAULT_PASSWORD,
        captchaId,
        captchaCode: CAPTCHA_ANSWER,
      });
      expect(res.body.code).toBe(1009);
    });

    it('should answer 1013 for a disabled user with the right password, 1005 with a wrong one', async () => {
      const { user } = await givenUser(a.t, 'customer', { disabled: true });
      expect((await loginWithPassword(a.t, user.name, DEFAULT_PASSWORD, 403)).body.code).toBe(1013);
      expect((await loginWithPassword(a.t, user.name, 'Wrong1234', 401)).body.code).toBe(1005);
    });

    it('should refuse missing fields with 1002 naming them', async () => {
      const res = await login({ account: 'someone' }).expect(400);
      const fields = res.body.data.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['password', 'captchaId', 'captchaCode']));
      expect((await login({}).expect(400)).body.code).toBe(1002);
    });
  });

  describe('with a login code', () => {
    it('should log in with phone + smsCode', async () => {
      const registered = await registerByPhone(a);
      await allowResend(a.t, registered.phone);
      const smsCode = await requestSmsCode(a, registered.phone, 'login');
      const res = await login({ phone: registered.phone, smsCode }).expect(200);
      expect(res.body.data.user.id).toBe(registered.id);
      await me(res.body.data.token).expect(200);
    });

    it('should log in with email + emailCode', async () => {
      const email = newEmail();
      const { user } = await givenUser(a.t, 'customer', { email: email.toLowerCase() });
      const emailCode = await requestEmailCode(a, email, 'login');
      expect((await login({ email, emailCode }).expect(200)).body.data.user.id).toBe(user.id);
    });

    it('should answer 1006 for an unknown phone, 1010 for a wrong code, 1013 for a disabled user', async () => {
      expect((await login({ phone: newPhone(), smsCode: '123456' }).expect(404)).body.code).toBe(1006);
      const phone = newPhone();
      const { user } = await givenUser(a.t, 'customer', { phone });
      const smsCode = await requestSmsCode(a, phone, 'login');
      const wrong = smsCode === '000000' ? '000001' : '000000';
      expect((await login({ phone, smsCode: wrong }).expect(400)).body.code).toBe(1010);
      await a.t.db.getRepository(User).update({ id: user.id }, { disabled: true });
      expect((await login({ phone, smsCode }).expect(403)).body.code).toBe(1013);
    });

    it('should not accept a register code for login', async () => {
      const phone = newPhone();
      const smsCode = await requestSmsCode(a, phone, 'register');
      await givenUser(a.t, 'customer', { phone });
      expect((await login({ phone, smsCode }).expect(400)).body.code).toBe(1010);
    });

    it('should refuse a malformed smsCode with 1002', async () => {
      const res = await login({ phone: newPhone(), smsCode: 'abc' }).expect(400);
      expect(res.body.data.map((e: { field: string }) => e.field)).toEqual(['smsCode']);
    });
  });

  describe('tokens and logout', () => {
    it('should revoke exactly the token of the logout request', async () => {
      const { user } = await givenUser(a.t);
      const first = (await loginWithPassword(a.t, user.name, DEFAULT_PASSWORD)).body.data.token as string;
      const second = (await loginWithPassword(a.t, user.name, DEFAULT_PASSWORD)).body.data.token as string;
      const res = await a.t.http.post('/api/v1/auth/logout').set('Authorization', `Bearer ${first}`).expect(200);
      expect(res.body).toEqual({ code: 1000, msg: 'ok', data: null });
      expect((await me(first).expect(401)).body.code).toBe(1007);
      await me(second).expect(200);
      const rows = await a.t.db.getRepository(RevokedToken).findBy({ userId: user.id });
      expect(rows).toHaveLength(1);
      expect(rows[0].expiresAt.getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);
      expect((await a.t.http.post('/api/v1/auth/logout').set('Authorization', `Bearer ${first}`)).body.code).toBe(1007);
    });

    it('should answer 1007 without a token or with a bad one, and 1008 for an expired one', async () => {
      expect((await a.t.http.post('/api/v1/auth/logout').expect(401)).body.code).toBe(1007);
      expect((await me('not-a-jwt').expect(401)).body.code).toBe(1007);
      const { user } = await givenUser(a.t);
      const expired = await a.t.app.get(JwtService).signAsync({
        sub: user.id,
        role: user.role,
        ver: 0,
        jti: randomUUID(),
        exp: Math.floor(Date.now() / 1000) - 10,
      });
      expect((await me(expired).expect(401)).body.code).toBe(1008);
    });

    it('should not take a reset token as a session token', async () => {
      const { user } = await givenUser(a.t);
      const resetToken = await a.t.app.get(TokenService).issueReset(user);
      expect((await me(resetToken).expect(401)).body.code).toBe(1007);
    });
  });

  describe('password reset', () => {
    const verifyCode = (body: Record<string, unknown>) => a.t.http.post('/api/v1/auth/password/verify-code').send(body);
    const reset = (body: Record<string, unknown>) => a.t.http.post('/api/v1/auth/password/reset').send(body);

    it('should reset by phone: code -> reset token -> new password, revoking every earlier token once', async () => {
      const registered = await registerByPhone(a);
      await allowResend(a.t, registered.phone);
      const code = await requestSmsCode(a, registered.phone, 'reset');
      const verified = await verifyCode({ phone: registered.phone, code }).expect(200);
      const { resetToken } = verified.body.data;
      expect(resetToken).toEqual(expect.any(String));
      const claims = a.t.app.get(JwtService).decode<{ exp: number; iat: number; purpose: string }>(resetToken);
      expect([claims.purpose, claims.exp - claims.iat]).toEqual(['reset', 900]);
      expect((await reset({ resetToken, password: 'NewSecret9' }).expect(200)).body).toEqual({
        code: 1000,
        msg: 'ok',
        data: null,
      });
      expect((await me(registered.token).expect(401)).body.code).toBe(1007);
      expect((await loginWithPassword(a.t, registered.name, GOOD_PASSWORD, 401)).body.code).toBe(1005);
      await loginWithPassword(a.t, registered.phone, 'NewSecret9', 200);
      expect((await reset({ resetToken, password: 'Another99' }).expect(401)).body.code).toBe(1007);
      expect((await verifyCode({ phone: registered.phone, code }).expect(400)).body.code).toBe(1010);
    });

    it('should reset by email', async () => {
      const email = newEmail();
      const { user } = await givenUser(a.t, 'customer', { email: email.toLowerCase() });
      const code = await requestEmailCode(a, email, 'reset');
      const { resetToken } = (await verifyCode({ email, code }).expect(200)).body.data;
      await reset({ resetToken, password: 'Changed123' }).expect(200);
      await loginWithPassword(a.t, user.name, 'Changed123', 200);
    });

    it('should answer 1006 for an unknown phone, 1010 for a wrong code, 1002 for phone and email together', async () => {
      expect((await verifyCode({ phone: newPhone(), code: '123456' }).expect(404)).body.code).toBe(1006);
      const { user } = await givenUser(a.t, 'customer', { phone: newPhone() });
      expect((await verifyCode({ phone: user.phone, code: '123456' }).expect(400)).body.code).toBe(1010);
      const both = await verifyCode({ phone: newPhone(), email: newEmail(), code: '123456' }).expect(400);
      expect(both.body.code).toBe(1002);
      expect((await verifyCode({ code: '123456' }).expect(400)).body.data[0].field).toBe('phone');
    });

    it('should refuse a weak new password with 1002, a session token with 1007, a forged one with 1007', async () => {
      const { user, token } = await givenUser(a.t);
      const resetToken = await a.t.app.get(TokenService).issueReset(user);
      expect((await reset({ resetToken, password: 'short1' }).expect(400)).body.data[0].field).toBe('password');
      expect((await reset({ resetToken: token, password: 'Valid1234' }).expect(401)).body.code).toBe(1007);
      expect((await reset({ resetToken: `${resetToken}x`, password: 'Valid1234' }).expect(401)).body.code).toBe(1007);
    });
  });
});
