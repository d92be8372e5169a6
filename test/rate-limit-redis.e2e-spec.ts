import { randomInt } from 'node:crypto';
import { bootTestApp, TestApp } from './support/test-app';

const redisUrl = process.env.TEST_REDIS_URL;

// Two app instances in one process keep separate memories: only a shared Redis makes one limit of both.
if (redisUrl) {
  describe('Per-IP rate limits shared through Redis', () => {
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      a = await bootTestApp({ RATE_LIMITS: 'on', REDIS_URL: redisUrl });
      b = await bootTestApp({ RATE_LIMITS: 'on', REDIS_URL: redisUrl });
    });

    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('should count one address across instances and answer 429 + 1012 with Retry-After', async () => {
      const ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
      for (let i = 0; i < 30; i++) {
        const instance = i % 2 ? b : a;
        await instance.http.get('/api/v1/captcha').set('X-Forwarded-For', ip).expect(200);
      }
      const limited = await b.http.get('/api/v1/captcha').set('X-Forwarded-For', ip).expect(429);
      expect(limited.body).toEqual({ code: 1012, msg: expect.any(String), data: null });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      await a.http.get('/api/v1/captcha').set('X-Forwarded-For', '10.255.255.254').expect(200);
    });
  });
} else {
  describe('Per-IP rate limits in one instance (no REDIS_URL)', () => {
    let a: TestApp;

    beforeAll(async () => {
      a = await bootTestApp({ RATE_LIMITS: 'on' });
    });

    afterAll(async () => {
      await a.close();
    });

    it('should answer the 31st captcha of a minute from one address with 429 + 1012', async () => {
      const ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
      for (let i = 0; i < 30; i++) await a.http.get('/api/v1/captcha').set('X-Forwarded-For', ip).expect(200);
      const limited = await a.http.get('/api/v1/captcha').set('X-Forwarded-For', ip).expect(429);
      expect(limited.body.code).toBe(1012);
    });
  });
}
