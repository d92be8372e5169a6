import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ShowtimeLeases } from '../src/database/showtime-leases';
import { sleep } from './support/ticketing';

const redisUrl = process.env.TEST_REDIS_URL ?? '';

// Leases live in Redis: two ShowtimeLeases stand for two app instances sharing it. No database is
// involved, so the SQLite run is enough.
(redisUrl && process.env.TEST_DB_KIND !== 'mysql' ? describe : describe.skip)(
  'ShowtimeLeases (one instance at a time per key, across instances)',
  () => {
    const a = new ShowtimeLeases(redisUrl);
    const b = new ShowtimeLeases(redisUrl);
    let redis: Redis;

    beforeAll(() => {
      redis = new Redis(redisUrl);
    });

    afterAll(async () => {
      await Promise.all([a.close(), b.close(), redis.quit()]);
    });

    /** Work that records how many of its kind run at once. */
    const gauge = () => {
      let inside = 0;
      let most = 0;
      const work = async (ms: number) => {
        most = Math.max(most, ++inside);
        await sleep(ms);
        inside--;
        return ms;
      };
      return { work, most: () => most };
    };

    it('should let one instance at a time run work for a key, every waiter in the end', async () => {
      const key = `test:${randomUUID()}`;
      const { work, most } = gauge();
      const done = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).around(key, () => work(3))));
      expect(done).toHaveLength(20);
      expect(most()).toBe(1);
      expect(await redis.exists(`ttms:lease:${key}`)).toBe(0);
    });

    it('should let work for different keys run at once', async () => {
      const { work, most } = gauge();
      await Promise.all([
        a.around(`test:${randomUUID()}`, () => work(50)),
        b.around(`test:${randomUUID()}`, () => work(50)),
      ]);
      expect(most()).toBe(2);
    });

    it('should release the lease when the work fails', async () => {
      const key = `test:${randomUUID()}`;
      await expect(a.around(key, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      await sleep(20);
      expect(await redis.exists(`ttms:lease:${key}`)).toBe(0);
    });

    it('should run once a holder that never releases (a killed instance) lets its lease lapse', async () => {
      const key = `test:${randomUUID()}`;
      await redis.set(`ttms:lease:${key}`, 'a killed instance', 'PX', 500);
      const started = Date.now();
      await b.around(key, () => Promise.resolve());
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    });

    it('should run the work without a lease when Redis cannot be reached', async () => {
      const away = new ShowtimeLeases('redis://127.0.0.1:1');
      await expect(away.around('test:away', () => Promise.resolve('ran'))).resolves.toBe('ran');
      await away.close();
    });
  },
);
