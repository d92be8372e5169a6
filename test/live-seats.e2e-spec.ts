import { AddressInfo } from 'node:net';
import { SeatStreamHub } from '../src/live-seats/seat-stream.hub';
import { Schedule } from '../src/schedules/entities/schedule.entity';
import { givenShowtime, givenUser } from './support/factories';
import { openSse, SseEvent } from './support/sse';
import { API, hold, lapse, pay, sleep } from './support/ticketing';
import { bootTestApp, TestApp } from './support/test-app';
import { spawnApps, SpawnedApp, stopApps } from './support/spawn-app';

type SeatState = { row: number; col: number; status: string };

/** Applies a snapshot and the seats events after it, the way a seat picker would. */
function replay(events: SseEvent[]): Map<string, string> {
  const seats = new Map<string, string>();
  for (const e of events) {
    const list: SeatState[] = e.data.seats;
    if (e.event === 'snapshot') seats.clear();
    for (const s of list) seats.set(`${s.row}-${s.col}`, s.status);
  }
  return seats;
}

describe('Live seat map (CONTRACT section 11)', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await bootTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}${API}`;
  });

  afterAll(async () => {
    await t.close();
  });

  it('should answer an unknown showtime with 404 + 1014 as JSON before any stream starts', async () => {
    const res = await t.http.get(`${API}/schedules/99999999/seats/stream`).expect(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ code: 1014, msg: expect.any(String), data: null });
  });

  it('should send a snapshot, then every hold, payment, cancel, refund and lapse in version order', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 3, cols: 4 } });
    const buyer = await givenUser(t);
    const stream = await openSse(`${base}/schedules/${schedule.id}/seats/stream`);
    expect(stream.status).toBe(200);
    const snapshot = await stream.waitFor((e) => e.event === 'snapshot');
    expect(snapshot.data).toMatchObject({ scheduleId: schedule.id, rows: 3, cols: 4, version: expect.any(Number) });
    expect(snapshot.data.seats).toHaveLength(12);

    const sent = Date.now();
    const held = await hold(t.http, buyer, schedule.id, [{ row: 1, col: 1 }]).expect(201);
    const heldEvent = await stream.waitFor((e) => e.event === 'seats' && e.data.seats[0].status === 'held');
    expect(heldEvent.at - sent).toBeLessThan(1000);
    expect(heldEvent.data).toEqual({ version: snapshot.data.version + 1, seats: [{ row: 1, col: 1, status: 'held' }] });
    expect(heldEvent.id).toBe(String(snapshot.data.version + 1));

    await pay(t.http, buyer, held.body.data.id).expect(200);
    await stream.waitFor((e) => e.event === 'seats' && e.data.seats[0].status === 'sold');
    await t.http.post(`${API}/orders/${held.body.data.id}/refund`).set(buyer.auth).expect(200);
    await stream.waitFor((e) => e.data.version === snapshot.data.version + 3);

    const cancelled = await hold(t.http, buyer, schedule.id, [{ row: 2, col: 2 }]).expect(201);
    await t.http.post(`${API}/orders/${cancelled.body.data.id}/cancel`).set(buyer.auth).expect(200);
    const lapsing = await hold(t.http, buyer, schedule.id, [{ row: 3, col: 3 }]).expect(201);
    await lapse(t.db, lapsing.body.data.id);
    const lapsedAt = Date.now();
    const freed = await stream.waitFor(
      (e) =>
        e.event === 'seats' &&
        e.data.seats.some((s: SeatState) => s.row === 3 && s.col === 3 && s.status === 'available'),
      4000,
    );
    expect(freed.at - lapsedAt).toBeLessThan(2000);

    const versions = stream.events.filter((e) => e.event === 'seats').map((e) => e.data.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    const seatMap = (await t.http.get(`${API}/schedules/${schedule.id}/seats`).expect(200)).body.data
      .seats as SeatState[];
    const streamed = replay(stream.events);
    expect(seatMap.map((s) => streamed.get(`${s.row}-${s.col}`))).toEqual(seatMap.map((s) => s.status));
    stream.close();
  });

  it('should resume after Last-Event-ID without a new snapshot, or send a snapshot when it cannot', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 2, cols: 2 } });
    const buyer = await givenUser(t);
    const watcher = await openSse(`${base}/schedules/${schedule.id}/seats/stream`);
    const first = await watcher.waitFor((e) => e.event === 'snapshot');
    await hold(t.http, buyer, schedule.id, [{ row: 1, col: 1 }]).expect(201);
    await hold(t.http, buyer, schedule.id, [{ row: 1, col: 2 }]).expect(201);
    await watcher.waitFor((e) => e.data.version === first.data.version + 2);

    const resumed = await openSse(`${base}/schedules/${schedule.id}/seats/stream`, {
      'Last-Event-ID': String(first.data.version + 1),
    });
    const next = await resumed.waitFor(() => true);
    expect(next).toMatchObject({ event: 'seats', id: String(first.data.version + 2) });
    expect(resumed.events.some((e) => e.event === 'snapshot')).toBe(false);

    const stale = await openSse(`${base}/schedules/${schedule.id}/seats/stream`, { 'Last-Event-ID': '999999' });
    expect((await stale.waitFor(() => true)).event).toBe('snapshot');
    [watcher, resumed, stale].forEach((s) => s.close());
  });

  it('should leave no subscription behind when 1,000 clients connect and drop', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 2, cols: 2 } });
    const hub = t.app.get(SeatStreamHub);
    const before = hub.subscriberCount;
    for (let batch = 0; batch < 10; batch++) {
      const clients = await Promise.all(
        Array.from({ length: 100 }, () => openSse(`${base}/schedules/${schedule.id}/seats/stream`)),
      );
      await Promise.all(clients.map((c) => c.waitFor((e) => e.event === 'snapshot')));
      clients.forEach((c) => c.close());
    }
    for (let i = 0; i < 50 && hub.subscriberCount > before; i++) await sleep(50);
    expect(hub.subscriberCount).toBe(before);
    expect(hub.activeScheduleIds()).not.toContain(schedule.id);
  });

  // Real processes: a client streaming from instance A sees what clients of instance B do, through Redis.
  if (process.env.TEST_DB_KIND === 'mysql' && process.env.TEST_REDIS_URL) {
    describe('with two app processes on one MySQL database and one Redis', () => {
      let apps: SpawnedApp[] = [];

      beforeAll(async () => {
        apps = await spawnApps(2, {
          DATABASE_URL: process.env.TEST_MYSQL_DATABASE_URL as string,
          JWT_SECRET: process.env.JWT_SECRET as string,
          REDIS_URL: process.env.TEST_REDIS_URL as string,
        });
      }, 180_000);

      afterAll(async () => {
        await stopApps(apps);
      });

      it('should stream every change made through the other instance, in order, ending equal to the seat map', async () => {
        const [a, b] = apps;
        const { schedule } = await givenShowtime(t, { hall: { rows: 2, cols: 5 } });
        const buyers = await Promise.all([1, 2, 3].map(() => givenUser(t)));
        const stream = await openSse(`${a.url}${API}/schedules/${schedule.id}/seats/stream`);
        const snapshot = await stream.waitFor((e) => e.event === 'snapshot');
        const orders = await Promise.all(
          buyers.map((buyer, i) => hold(b.http, buyer, schedule.id, [{ row: 1, col: i + 1 }]).expect(201)),
        );
        await pay(b.http, buyers[0], orders[0].body.data.id).expect(200);
        await b.http.post(`${API}/orders/${orders[1].body.data.id}/cancel`).set(buyers[1].auth).expect(200);
        // Holds that queue together share a transaction, so the changes count 3 to 5 versions (two for
        // the payment and the cancel, one to three for the holds): the stream must carry each of them.
        const last = (await t.db.getRepository(Schedule).findOneByOrFail({ id: schedule.id })).seatVersion;
        expect(last - snapshot.data.version).toBeGreaterThanOrEqual(3);
        expect(last - snapshot.data.version).toBeLessThanOrEqual(5);
        await stream.waitFor((e) => e.data.version === last, 5000);
        const versions = stream.events.filter((e) => e.event === 'seats').map((e) => e.data.version);
        expect(versions).toEqual(
          Array.from({ length: last - snapshot.data.version }, (_, i) => snapshot.data.version + 1 + i),
        );
        const seatMap = (await a.http.get(`${API}/schedules/${schedule.id}/seats`).expect(200)).body.data
          .seats as SeatState[];
        const streamed = replay(stream.events);
        expect(seatMap.map((s) => streamed.get(`${s.row}-${s.col}`))).toEqual(seatMap.map((s) => s.status));
        stream.close();
      });
    });
  }
});
