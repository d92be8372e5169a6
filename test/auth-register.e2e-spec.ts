import { User } from '../src/users/entities/user.entity';
import {
  AccountsTestApp,
  bootAccountsApp,
  GOOD_PASSWORD,
  newEmail,
  newName,
  newPhone,
  requestEmailCode,
  requestSmsCode,
} from './support/accounts';
import { givenUser } from './support/factories';

const USER_KEYS = ['avatarUrl', 'createdAt', 'disabled', 'email', 'gender', 'id', 'name', 'nickname', 'phone', 'role'];

describe('Registration and availability (CONTRACT 2)', () => {
  let a: AccountsTestApp;

  beforeAll(async () => {
    a = await bootAccountsApp();
  });

  afterAll(async () => {
    await a.close();
  });

  const register = (body: Record<string, unknown>) => a.t.http.post('/api/v1/auth/register').send(body);
  const fields = (res: { body: { data: { field: string }[] } }) => res.body.data.map((e) => e.field);

  it('should sign up by phone + smsCode, answer 201 with a working token and the user, and hash the password', async () => {
    const phone = newPhone();
    const name = newName();
    const smsCode = await requestSmsCode(a, phone);
    const res = await register({ name, password: GOOD_PASSWORD, phone, smsCode, nickname: 'Ann', gender: 'female' });
    expect(res.status).toBe(201);
    expect(res.body.code).toBe(1000);
    const { token, expiresIn, user } = res.body.data;
    expect(expiresIn).toBe(5 * 86400);
    expect(Object.keys(user).sort()).toEqual(USER_KEYS);
    expect(user).toMatchObject({ name, phone, email: null, nickname: 'Ann', gender: 'female', role: 'customer' });
    expect(user).toMatchObject({ avatarUrl: null, disabled: false });
    expect(new Date(user.createdAt).toISOString()).toBe(user.createdAt);
    const me = await a.t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.data.id).toBe(user.id);
    const row = await a.t.db.getRepository(User).findOneByOrFail({ id: user.id });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.nameKey).toBe(name.toLowerCase());
  });

  it('should sign up by email + emailCode and keep the email lower-cased', async () => {
    const email = newEmail();
    const emailCode = await requestEmailCode(a, email);
    const res = await register({ name: newName(), password: GOOD_PASSWORD, email, emailCode }).expect(201);
    expect(res.body.data.user).toMatchObject({ email: email.toLowerCase(), phone: null, gender: 'unknown' });
  });

  it('should sign up with both phone and email when both codes are right', async () => {
    const phone = newPhone();
    const email = newEmail();
    const smsCode = await requestSmsCode(a, phone);
    const emailCode = await requestEmailCode(a, email);
    const res = await register({ name: newName(), password: GOOD_PASSWORD, phone, smsCode, email, emailCode });
    expect(res.status).toBe(201);
    expect(res.body.data.user).toMatchObject({ phone, email: email.toLowerCase() });
  });

  it('should refuse a wrong code with 1010 and create nobody', async () => {
    const phone = newPhone();
    const code = await requestSmsCode(a, phone);
    const name = newName();
    const res = await register({
      name,
      password: GOOD_PASSWORD,
      phone,
      smsCode: code === '123456' ? '654321' : '123456',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(1010);
    expect(await a.t.db.getRepository(User).countBy({ nameKey: name.toLowerCase() })).toBe(0);
  });

  it('should refuse a code sent for another purpose or to another phone with 1010', async () => {
    const phone = newPhone();
    const code = await requestSmsCode(a, phone);
    expect(
      (await register({ name: newName(), password: GOOD_PASSWORD, phone: newPhone(), smsCode: code })).body.code,
    ).toBe(1010);
  });

  it('should answer 1004 for a name taken in any case, keeping the code for a retry', async () => {
    const taken = await givenUser(a.t, 'customer', { name: newName() });
    const phone = newPhone();
    const smsCode = await requestSmsCode(a, phone);
    const res = await register({ name: taken.user.name.toUpperCase(), password: GOOD_PASSWORD, phone, smsCode });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe(1004);
    await register({ name: newName(), password: GOOD_PASSWORD, phone, smsCode }).expect(201);
  });

  it('should answer 1004 for a taken phone and 1003 for a taken email', async () => {
    const phone = newPhone();
    const smsCode = await requestSmsCode(a, phone);
    await givenUser(a.t, 'customer', { phone });
    expect((await register({ name: newName(), password: GOOD_PASSWORD, phone, smsCode }).expect(409)).body.code).toBe(
      1004,
    );
    const email = newEmail();
    const emailCode = await requestEmailCode(a, email);
    await givenUser(a.t, 'customer', { email: email.toLowerCase() });
    expect((await register({ name: newName(), password: GOOD_PASSWORD, email, emailCode }).expect(409)).body.code).toBe(
      1003,
    );
  });

  it('should let exactly one of two racing sign-ups with the same name win, the other 1004', async () => {
    const [phone1, phone2] = [newPhone(), newPhone()];
    const [code1, code2] = [await requestSmsCode(a, phone1), await requestSmsCode(a, phone2)];
    const name = newName();
    const results = await Promise.all([
      register({ name, password: GOOD_PASSWORD, phone: phone1, smsCode: code1 }),
      register({ name: name.toUpperCase(), password: GOOD_PASSWORD, phone: phone2, smsCode: code2 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe(1004);
    expect(await a.t.db.getRepository(User).countBy({ nameKey: name.toLowerCase() })).toBe(1);
  });

  it('should let exactly one of two racing sign-ups with the same phone win, the other 1004', async () => {
    const phone = newPhone();
    const smsCode = await requestSmsCode(a, phone);
    const results = await Promise.all([
      register({ name: newName(), password: GOOD_PASSWORD, phone, smsCode }),
      register({ name: newName(), password: GOOD_PASSWORD, phone, smsCode }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe(1004);
    expect(await a.t.db.getRepository(User).countBy({ phone })).toBe(1);
  });

  it('should refuse bad names, passwords and genders with 1002 naming the field', async () => {
    const phone = newPhone();
    const smsCode = await requestSmsCode(a, phone);
    const base = { name: newName(), password: GOOD_PASSWORD, phone, smsCode };
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'a' }, 'name'],
      [{ name: 'a'.repeat(21) }, 'name'],
      [{ name: '12345' }, 'name'],
      [{ name: 'ann@home' }, 'name'],
      [{ password: 'Ab1' }, 'password'],
      [{ password: 'abcdefghij' }, 'password'],
      [{ password: '1234567890' }, 'password'],
      [{ password: `a1${'x'.repeat(63)}` }, 'password'],
      [{ gender: 'other' }, 'gender'],
      [{ nickname: 'n'.repeat(41) }, 'nickname'],
      [{ role: 'admin' }, 'role'],
      [{ smsCode: '12345' }, 'smsCode'],
      [{ phone: '23800138000' }, 'phone'],
    ];
    for (const [override, field] of cases) {
      const res = await register({ ...base, ...override });
      expect([res.status, res.body.code, field]).toEqual([400, 1002, field]);
      expect(fields(res)).toContain(field);
    }
    await register(base).expect(201);
  });

  it('should require phone + smsCode or email + emailCode', async () => {
    const none = await register({ name: newName(), password: GOOD_PASSWORD }).expect(400);
    expect(fields(none)).toContain('phone');
    const noSms = await register({ name: newName(), password: GOOD_PASSWORD, phone: newPhone() }).expect(400);
    expect(fields(noSms)).toEqual(['smsCode']);
    const noEmailCode = await register({ name: newName(), password: GOOD_PASSWORD, email: newEmail() }).expect(400);
    expect(fields(noEmailCode)).toEqual(['emailCode']);
  });

  describe('GET /auth/availability', () => {
    const availability = (query: Record<string, string>) => a.t.http.get('/api/v1/auth/availability').query(query);

    it('should tell which of the given name, phone and email are taken', async () => {
      const phone = newPhone();
      const email = newEmail().toLowerCase();
      const { user } = await givenUser(a.t, 'customer', { phone, email });
      const taken = await availability({ name: user.name.toUpperCase(), phone, email: email.toUpperCase() }).expect(
        200,
      );
      expect(taken.body.data).toEqual({ nameTaken: true, phoneTaken: true, emailTaken: true });
      const free = await availability({ name: newName(), phone: newPhone(), email: newEmail() }).expect(200);
      expect(free.body.data).toEqual({ nameTaken: false, phoneTaken: false, emailTaken: false });
    });

    it('should answer only for the ones given', async () => {
      expect((await availability({ phone: newPhone() }).expect(200)).body.data).toEqual({ phoneTaken: false });
    });

    it('should answer 1002 for none given or a malformed phone or email', async () => {
      expect((await availability({}).expect(400)).body.code).toBe(1002);
      expect(fields(await availability({ phone: '123' }).expect(400))).toEqual(['phone']);
      expect(fields(await availability({ email: 'nope' }).expect(400))).toEqual(['email']);
    });
  });
});
