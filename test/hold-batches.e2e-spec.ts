import { Schedule } from '../src/schedules/entities/schedule.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { givenShowtime, givenUser } from './support/factories';
import { bootTestApp, TestApp } from './support/test-app';
import { claimsOf, hold } from './support/ticketing';

/**
 * Holds of one showtime that queue together run in one transaction (KeyedBatches), each still
 * decided on its own: what each client gets and what the database holds must be as if they had
 * taken turns.
 */
describe('Holds decided together (one transaction per batch)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const isMysql = () => t.db.options.type === 'mysql' || t.db.options.type === 'mariadb';
  const seatVersionOf = async (id: number) => (await t.db.getRepository(Schedule).findOneByOrFail({ id })).seatVersion;

  it('should hold every seat of 16 racing holds of different seats, with fewer transactions than holds', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 8, cols: 8 } });
    const racers = await Promise.all(Array.from({ length: 16 }, () => givenUser(t)));
    const versionBefore = await seatVersionOf(schedule.id);
    const seatsOf = (i: number) => [
      { row: (i % 8) + 1, col: Math.floor(i / 8) * 2 + 1 },
      { row: (i % 8) + 1, col: Math.floor(i / 8) * 2 + 2 },
    ];
    const results = await Promise.all(racers.map((user, i) => hold(t.http, user, schedule.id, seatsOf(i))));

    expect(results.map((r) => r.status)).toEqual(Array(16).fill(201));
    for (const [i, result] of results.entries()) {
      const claims = await claimsOf(t.db, { orderId: result.body.data.id });
      expect(claims.map((c) => ({ row: c.seatRow, col: c.seatCol }))).toEqual(seatsOf(i));
      expect(claims.every((c) => c.userId === racers[i].user.id)).toBe(true);
    }
    // One version per transaction. On MySQL the holds that queued behind the first one's round trips
    // went in together; SQLite, in process, may well finish each before the next arrives.
    const versions = (await seatVersionOf(schedule.id)) - versionBefore;
    expect(versions).toBeGreaterThanOrEqual(1);
    expect(versions).toBeLessThanOrEqual(16);
    if (isMysql()) expect(versions).toBeLessThan(16);
  });

  it('should give each hold of a batch its own answer, and keep only the accepted ones', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 5, cols: 8, disabledSeats: [{ row: 5, col: 8 }] } });
    const [first, second, capped, outsider, disabled, plain] = await Promise.all(
      Array.from({ length: 6 }, () => givenUser(t)),
    );
    const earlier = await hold(
      t.http,
      capped,
      schedule.id,
      [1, 2, 3, 4, 5].map((col) => ({ row: 4, col })),
    );
    expect(earlier.status).toBe(201);

    const [a, b, c, d, e, f] = await Promise.all([
      hold(t.http, first, schedule.id, [
        { row: 1, col: 1 },
        { row: 1, col: 2 },
      ]),
      hold(t.http, second, schedule.id, [
        { row: 1, col: 2 },
        { row: 1, col: 3 },
      ]),
      hold(t.http, capped, schedule.id, [
        { row: 2, col: 1 },
        { row: 2, col: 2 },
      ]),
      hold(t.http, outsider, schedule.id, [{ row: 6, col: 1 }]),
      hold(t.http, disabled, schedule.id, [{ row: 5, col: 8 }]),
      hold(t.http, plain, schedule.id, [{ row: 3, col: 3 }]),
    ]);

    // Exactly one of the two holds that share seat 1-2 stands; the other is told which seat clashed.
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.code).toBe(2003);
    expect(loser.body.msg).toContain('1-2');
    expect([c.status, c.body.code]).toEqual([409, 2004]);
    expect([d.status, d.body.code]).toEqual([400, 1002]);
    expect([e.status, e.body.code]).toEqual([409, 2003]);
    expect([f.status, f.body.code]).toEqual([201, 1000]);

    const winner = a.status === 201 ? a : b;
    const claims = await claimsOf(t.db, { scheduleId: schedule.id });
    expect(claims.map((claim) => claim.orderId).sort((x, y) => x - y)).toEqual(
      [...Array(5).fill(earlier.body.data.id), ...Array(2).fill(winner.body.data.id), f.body.data.id].sort(
        (x, y) => x - y,
      ),
    );
    expect(await t.db.getRepository(Order).countBy({ scheduleId: schedule.id })).toBe(3);
  });
});
