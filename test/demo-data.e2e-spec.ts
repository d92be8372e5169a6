import { Logger } from '@nestjs/common';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PasswordService } from '../src/auth/password.service';
import { Cinema } from '../src/catalog/entities/cinema.entity';
import { Movie } from '../src/catalog/entities/movie.entity';
import { addDays, localDay } from '../src/common/time';
import { DemoDataService } from '../src/demo/demo-data.service';
import { Hall } from '../src/halls/entities/hall.entity';
import { Schedule } from '../src/schedules/entities/schedule.entity';
import { User } from '../src/users/entities/user.entity';
import { givenUser } from './support/factories';
import { bootTestApp, TestApp } from './support/test-app';

const onMysql = process.env.TEST_DB_KIND === 'mysql';
const TZ = 'Asia/Shanghai';
const CLEANING_MS = 15 * 60_000;

describe('Demo data at start-up (CONTRACT section 9)', () => {
  let t: TestApp;
  let logged: string[];

  beforeAll(async () => {
    const log = jest.spyOn(Logger.prototype, 'log');
    t = await bootTestApp({ DEMO_DATA: 'true' });
    logged = log.mock.calls.map((call) => String(call[0]));
    log.mockRestore();
  });

  afterAll(async () => {
    await t.close();
  });

  if (onMysql) {
    it('should not seed a MySQL/MariaDB database', async () => {
      expect(await t.db.getRepository(User).countBy({ name: 'demo_merchant' })).toBe(0);
      expect(logged.some((m) => m.includes('demo-accounts'))).toBe(false);
      expect(t.app.get(DemoDataService).accounts()).toEqual([]);
    });
    return;
  }

  it('should create a merchant and a customer account, kept for the start-up banner, whose passwords work', async () => {
    const accounts = t.app.get(DemoDataService).accounts();
    expect(accounts.map(({ name, role }) => [name, role])).toEqual([
      ['demo_merchant', 'merchant'],
      ['demo_customer', 'customer'],
    ]);
    const passwords = t.app.get(PasswordService);
    for (const { name, password } of accounts) {
      const user = await t.db.getRepository(User).findOneByOrFail({ name });
      expect(password).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{8,64}$/);
      expect(await passwords.verify(user.passwordHash, password)).toBe(true);
    }
    // Beside the database, its owner's only; the log names the file, never a password.
    const file = join(dirname(process.env.DATABASE_PATH as string), 'demo-accounts.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logged.filter((m) => m.includes('demo-accounts.json'))).toHaveLength(1);
    expect(logged.some((m) => accounts.some(({ password }) => m.includes(password)))).toBe(false);
  });

  it('should open cinemas in Shanghai and Beijing owned by the demo merchant', async () => {
    const merchant = await t.db.getRepository(User).findOneByOrFail({ name: 'demo_merchant' });
    const cinemas = await t.db.getRepository(Cinema).find();
    expect(cinemas.length).toBeGreaterThanOrEqual(3);
    expect(new Set(cinemas.map((c) => c.city))).toEqual(new Set(['Shanghai', 'Beijing']));
    expect(cinemas.every((c) => c.ownerId === merchant.id && c.status === 'active')).toBe(true);

    const res = await t.http.get('/api/v1/cinemas?city=Shanghai').expect(200);
    expect(res.body.total).toBe(cinemas.filter((c) => c.city === 'Shanghai').length);
    expect(res.body.data.every((c: { beginPrice: number | null }) => c.beginPrice !== null)).toBe(true);
  });

  it('should give every cinema two halls with disabled seats and a consistent seat count', async () => {
    const halls = await t.db.getRepository(Hall).find();
    const cinemas = await t.db.getRepository(Cinema).count();
    expect(halls).toHaveLength(cinemas * 2);
    for (const hall of halls) {
      expect(hall.disabledSeats.length).toBeGreaterThan(0);
      expect(hall.seatCount).toBe(hall.rows * hall.cols - hall.disabledSeats.length);
    }
  });

  it('should list about a dozen movies, some showing and some upcoming', async () => {
    expect(await t.db.getRepository(Movie).count()).toBeGreaterThanOrEqual(10);
    const showing = await t.http.get('/api/v1/movies?status=showing').expect(200);
    const upcoming = await t.http.get('/api/v1/movies?status=upcoming').expect(200);
    expect(showing.body.total).toBeGreaterThanOrEqual(4);
    expect(upcoming.body.total).toBeGreaterThanOrEqual(3);
    const durations = (await t.db.getRepository(Movie).find()).map((m) => m.durationMinutes);
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(90);
    expect(Math.max(...durations)).toBeLessThanOrEqual(170);
  });

  it('should schedule a week of showtimes from tomorrow, in every hall, without overlaps', async () => {
    const [showtimes, halls, movies] = await Promise.all([
      t.db.getRepository(Schedule).find({ order: { hallId: 'ASC', startsAt: 'ASC' } }),
      t.db.getRepository(Hall).find(),
      t.db.getRepository(Movie).find(),
    ]);
    const hallById = new Map(halls.map((h) => [h.id, h]));
    const movieById = new Map(movies.map((m) => [m.id, m]));
    const today = localDay(new Date(), TZ);
    const days = new Set(showtimes.map((s) => s.showDate));
    expect([...days].sort()[0]).toBe(addDays(today, 1));
    expect(days.size).toBeGreaterThanOrEqual(7);
    expect(new Set(showtimes.map((s) => s.hallId)).size).toBe(halls.length);

    showtimes.forEach((s, i) => {
      const hall = hallById.get(s.hallId) as Hall;
      const movie = movieById.get(s.movieId) as Movie;
      expect(s.cinemaId).toBe(hall.cinemaId);
      expect(s.startsAt.getTime()).toBeGreaterThan(Date.now());
      expect(s.endsAt.getTime() - s.startsAt.getTime()).toBe(movie.durationMinutes * 60_000);
      expect(s.showDate).toBe(localDay(s.startsAt, TZ));
      expect(s.showDate >= movie.releaseDate && (movie.offDate === null || s.showDate <= movie.offDate)).toBe(true);
      expect(s).toMatchObject({ seatCount: hall.seatCount, soldCount: 0 });
      expect(s.priceCents).toBeGreaterThanOrEqual(3990);
      expect(s.priceCents).toBeLessThanOrEqual(8900);
      const previous = showtimes[i - 1];
      if (previous?.hallId === s.hallId) {
        expect(s.startsAt.getTime()).toBeGreaterThanOrEqual(previous.endsAt.getTime() + CLEANING_MS);
      }
    });
    // Several a day in each hall.
    expect(showtimes.length).toBeGreaterThanOrEqual(halls.length * 7 * 3);
  });

  it('should show zones, couple seats, student tickets and a voucher printed at start-up (CONTRACT 13)', async () => {
    const halls = await t.db.getRepository(Hall).find();
    const zoned = halls.filter((hall) => hall.zones?.length && hall.couples?.length);
    expect(zoned.length).toBeGreaterThan(0);
    const showtime = await t.db.getRepository(Schedule).findOneByOrFail({ hallId: zoned[0].id });
    const map = (await t.http.get(`/api/v1/schedules/${showtime.id}/seats`).expect(200)).body.data;
    expect(map.zones.map((zone: { name: string }) => zone.name)).toEqual(['standard', 'VIP']);
    expect(map.seats.some((seat: { pair: string | null }) => seat.pair === 'left')).toBe(true);
    const schedules = await t.db.getRepository(Schedule).find();
    expect(schedules.some((s) => s.ticketTypes?.some((type) => type.name === 'student'))).toBe(true);

    const line = logged.find((m) => m.startsWith('demo voucher: '));
    const code = /demo voucher: (\w+)/.exec(line ?? '')?.[1];
    expect(code).toBe('DEMO10');
    const customer = await givenUser(t);
    const seat = map.seats.find((s: { status: string; pair: string | null }) => s.status === 'available' && !s.pair);
    const held = await t.http
      .post('/api/v1/orders')
      .set(customer.auth)
      .send({ scheduleId: showtime.id, seats: [{ row: seat.row, col: seat.col }], voucherCode: 'demo10' })
      .expect(201);
    expect(held.body.data).toMatchObject({ voucherCode: 'DEMO10', discount: 10 });
  });

  it('should not seed again once the database holds data', async () => {
    const before = await t.db.getRepository(Schedule).count();
    expect(await t.app.get(DemoDataService).seedIfEmpty()).toBeNull();
    expect(await t.db.getRepository(Schedule).count()).toBe(before);
    expect(await t.db.getRepository(User).countBy({ name: 'demo_merchant' })).toBe(1);
  });
});
