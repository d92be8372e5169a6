import { Captcha } from '../src/auth/entities/captcha.entity';
import { CAPTCHA_ANSWER, newCaptcha } from './support/accounts';
import { bootTestApp, TestApp } from './support/test-app';

describe('Captcha (CONTRACT 2)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const verify = (captchaId: string, code: string) => t.http.post('/api/v1/captcha/verify').send({ captchaId, code });

  it('should answer a captcha id and an SVG data URL, stored hashed for 5 minutes', async () => {
    const res = await t.http.get('/api/v1/captcha').expect(200);
    expect(res.body.code).toBe(1000);
    expect(res.body.data.captchaId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.data.image).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(res.body.data.image.split(',')[1], 'base64').toString('utf8');
    expect(svg).toMatch(/^<svg /);
    expect(res.headers['cache-control']).toBe('no-store');
    const row = await t.db.getRepository(Captcha).findOneByOrFail({ id: res.body.data.captchaId });
    expect(row.answerHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.answerHash).not.toContain(CAPTCHA_ANSWER);
    const ttl = row.expiresAt.getTime() - Date.now();
    expect(ttl).toBeGreaterThan(4 * 60_000);
    expect(ttl).toBeLessThanOrEqual(5 * 60_000);
  });

  it('should answer the raw SVG with the id in X-Captcha-Id for ?format=svg', async () => {
    const res = await t.http
      .get('/api/v1/captcha?format=svg')
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.body as string).toMatch(/^<svg /);
    const id = res.headers['x-captcha-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await verify(id, CAPTCHA_ANSWER).expect(200)).body.data).toEqual({ valid: true });
  });

  it('should refuse an unknown format with 1002', async () => {
    const res = await t.http.get('/api/v1/captcha?format=png').expect(400);
    expect(res.body.code).toBe(1002);
    expect(res.body.data[0].field).toBe('format');
  });

  it('should verify ignoring case without using the captcha up', async () => {
    const id = await newCaptcha(t);
    expect((await verify(id, 'ABCD').expect(200)).body).toEqual({ code: 1000, msg: 'ok', data: { valid: true } });
    expect((await verify(id, 'abcd').expect(200)).body.data.valid).toBe(true);
    expect((await verify(id, 'abce').expect(200)).body.data.valid).toBe(false);
    const row = await t.db.getRepository(Captcha).findOneByOrFail({ id });
    expect(row.used).toBeFalsy();
    expect(row.verifyCount).toBe(3);
  });

  it('should allow 5 verifies per captcha and then answer valid: false, used up', async () => {
    const id = await newCaptcha(t);
    for (let i = 0; i < 5; i++) expect((await verify(id, CAPTCHA_ANSWER)).body.data.valid).toBe(true);
    expect((await verify(id, CAPTCHA_ANSWER)).body.data.valid).toBe(false);
    expect((await t.db.getRepository(Captcha).findOneByOrFail({ id })).used).toBeTruthy();
  });

  it('should answer valid: false for an unknown or expired captcha', async () => {
    expect((await verify('00000000-0000-4000-8000-000000000000', CAPTCHA_ANSWER)).body.data.valid).toBe(false);
    const id = await newCaptcha(t);
    await t.db.getRepository(Captcha).update({ id }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await verify(id, CAPTCHA_ANSWER)).body.data.valid).toBe(false);
  });

  it('should refuse a verify without a code with 1002 naming the field', async () => {
    const res = await t.http.post('/api/v1/captcha/verify').send({ captchaId: 'x' }).expect(400);
    expect(res.body.code).toBe(1002);
    expect(res.body.data).toEqual([expect.objectContaining({ field: 'code' })]);
  });
});
