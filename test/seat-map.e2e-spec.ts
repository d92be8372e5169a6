import { HoldSweepService } from '../src/ticketing/hold-sweep.service';
import { givenShowtime, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp } from './support/test-app';
import { API, buyTickets, hold, lapse, selectsDuring, soldCountOf } from './support/ticketing';

type SeatState = { row: number; col: number; status: string };

describe('Seat map: GET /schedules/:id/seats (CONTRACT 6) and the sold count', () => {
  let t: TestApp;
  let alice: GivenUser;
  let bob: GivenUser;

  const seatMap = async (scheduleId: number) =>
    (await t.http.get(`${API}/schedules/${scheduleId}/seats`).expect(200)).body.data as {
      seats: SeatState[];
      [key: string]: unknown;
    };
  const statusOf = (seats: SeatState[], row: number, col: number) =>
    seats.find((s) => s.row === row && s.col === col)?.status;
  const soldCountOverHttp = async (scheduleId: number) =>
    (await t.http.get(`${API}/schedules/${scheduleId}`).expect(200)).body.data.soldCount as number;

  beforeAll(async () => {
    t = await bootTestApp();
    alice = await givenUser(t);
    bob = await givenUser(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should list every seat of the grid to anyone, row by row, with disabled seats marked', async () => {
    const { schedule } = await givenShowtime(t, {
      priceCents: 4550,
      hall: { rows: 3, cols: 4, disabledSeats: [{ row: 2, col: 3 }] },
    });
    const res = await t.http.get(`${API}/schedules/${schedule.id}/seats`).expect(200);
    expect(res.body.code).toBe(1000);
    const map = res.body.data;
    expect(map).toMatchObject({ scheduleId: schedule.id, rows: 3, cols: 4, price: 45.5 });
    expect(map.seats).toHaveLength(12);
    const seat = { zone: 'standard', price: 45.5, pair: null };
    expect(map.seats[0]).toEqual({ row: 1, col: 1, status: 'available', ...seat });
    expect(map.seats[11]).toEqual({ row: 3, col: 4, status: 'available', ...seat });
    expect(map.seats.filter((s: SeatState) => s.status !== 'available')).toEqual([
      { row: 2, col: 3, status: 'disabled', ...seat },
    ]);
    expect(map.zones).toEqual([{ name: 'standard', price: 45.5 }]);
    expect(map.ticketTypes).toEqual([]);
  });

  it('should show held, sold and freed seats as orders move, and keep soldCount in step', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 4, cols: 4 } });
    const held = await hold(t.http, alice, schedule.id, [{ row: 1, col: 1 }]).expect(201);
    const paid = await buyTickets(t.http, bob, schedule.id, [
      { row: 2, col: 1 },
      { row: 2, col: 2 },
    ]);
    let seats = (await seatMap(schedule.id)).seats;
    expect(statusOf(seats, 1, 1)).toBe('held');
    expect(statusOf(seats, 2, 1)).toBe('sold');
    expect(statusOf(seats, 2, 2)).toBe('sold');
    expect(seats.filter((s) => s.status === 'available')).toHaveLength(13);
    expect(await soldCountOverHttp(schedule.id)).toBe(2);
    expect(await soldCountOf(t.db, schedule.id)).toBe(2);

    await t.http.post(`${API}/orders/${held.body.data.id}/cancel`).set(alice.auth).expect(200);
    await t.http.post(`${API}/orders/${paid.id}/refund`).set(bob.auth).expect(200);
    seats = (await seatMap(schedule.id)).seats;
    expect(seats.every((s) => s.status === 'available')).toBe(true);
    expect(await soldCountOverHttp(schedule.id)).toBe(0);
    expect(await soldCountOf(t.db, schedule.id)).toBe(0);
  });

  it('should show a lapsed hold as available at once, before the sweep', async () => {
    const { schedule } = await givenShowtime(t);
    const held = await hold(t.http, alice, schedule.id, [{ row: 3, col: 3 }]).expect(201);
    expect(statusOf((await seatMap(schedule.id)).seats, 3, 3)).toBe('held');
    await lapse(t.db, held.body.data.id);
    expect(statusOf((await seatMap(schedule.id)).seats, 3, 3)).toBe('available');
  });

  it('should answer 1014 for an unknown showtime and 1002 for a malformed id', async () => {
    const unknown = await t.http.get(`${API}/schedules/2000000000/seats`).expect(404);
    expect(unknown.body).toMatchObject({ code: 1014, data: null });
    const bad = await t.http.get(`${API}/schedules/x1/seats`).expect(400);
    expect(bad.body).toMatchObject({ code: 1002, data: [{ field: 'id' }] });
  });

  it('should send the map gzipped to clients that accept it, and plain to those that do not', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 10, cols: 12 } });
    await hold(t.http, alice, schedule.id, [{ row: 4, col: 5 }]).expect(201);
    const url = `${API}/schedules/${schedule.id}/seats`;
    const plain = await t.http.get(url).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await t.http.get(url).set('Accept-Encoding', 'br;q=1, gzip;q=0.8').expect(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(Number(gzipped.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']) / 3);
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(gzipped.body).toEqual(plain.body);
    expect(statusOf(gzipped.body.data.seats, 4, 5)).toBe('held');
    const refused = await t.http.get(url).set('Accept-Encoding', 'gzip;q=0').expect(200);
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('should answer 304 to If-None-Match with the current ETag, and a new ETag once a seat changes', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 4, cols: 4 } });
    const url = `${API}/schedules/${schedule.id}/seats`;
    const first = await t.http.get(url).expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/".+"$/);
    const unchanged = await t.http.get(url).set('If-None-Match', etag).expect(304);
    expect(unchanged.text ?? '').toBe('');
    await hold(t.http, alice, schedule.id, [{ row: 1, col: 2 }]).expect(201);
    const changed = await t.http.get(url).set('If-None-Match', etag).expect(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(statusOf(changed.body.data.seats, 1, 2)).toBe('held');
  });

  it('should read the map in at most two queries, whatever the hall size', async () => {
    const { schedule } = await givenShowtime(t, { hall: { rows: 50, cols: 50 } });
    await buyTickets(t.http, alice, schedule.id, [{ row: 50, col: 50 }]);
    await hold(t.http, bob, schedule.id, [{ row: 1, col: 1 }]).expect(201);
    // This app's hold sweep (every second in tests) reads claims too: it pauses while the map is read.
    const sweep = t.app.get(HoldSweepService);
    await sweep.beforeApplicationShutdown();
    const selects = await selectsDuring(t.db, /seat_claims|schedules/i, async () => {
      const seats = (await seatMap(schedule.id)).seats;
      expect(seats).toHaveLength(2500);
      expect(statusOf(seats, 50, 50)).toBe('sold');
      expect(statusOf(seats, 1, 1)).toBe('held');
    }).finally(() => sweep.onApplicationBootstrap());
    expect(selects).toHaveLength(2);
  });
});
