import { givenShowtime, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp } from './support/test-app';
import { API, claimsOf, hold, orderRow, pay, sleep } from './support/ticketing';

/** Holds that really run out: ORDER_HOLD_SECONDS=1 and the sweep every second. */
describe('Order expiry in real time (CONTRACT 7)', () => {
  let t: TestApp;
  let alice: GivenUser;
  let bob: GivenUser;

  beforeAll(async () => {
    t = await bootTestApp({ ORDER_HOLD_SECONDS: '1', SWEEP_SECONDS: '1' });
    alice = await givenUser(t);
    bob = await givenUser(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should hold for ORDER_HOLD_SECONDS, then free the seat to another user at once and read expired', async () => {
    const { schedule } = await givenShowtime(t);
    const held = await hold(t.http, alice, schedule.id, [{ row: 1, col: 1 }]).expect(201);
    const { id, expiresAt, createdAt } = held.body.data;
    expect(Date.parse(expiresAt) - Date.parse(createdAt)).toBe(1000);
    expect((await hold(t.http, bob, schedule.id, [{ row: 1, col: 1 }]).expect(409)).body.code).toBe(2003);

    await sleep(Date.parse(expiresAt) - Date.now() + 20);
    const taken = await hold(t.http, bob, schedule.id, [{ row: 1, col: 1 }]).expect(201);
    const read = await t.http.get(`${API}/orders/${id}`).set(alice.auth).expect(200);
    expect(read.body.data.status).toBe('expired');
    expect((await pay(t.http, alice, id).expect(409)).body).toMatchObject({ code: 2006, data: null });
    // Bob's order may itself have lapsed by now; his claim is the only one on the seat either way.
    const claims = await claimsOf(t.db, { scheduleId: schedule.id });
    expect(claims.every((c) => c.orderId === taken.body.data.id)).toBe(true);
  });

  it('should have the sweep mark the order expired and remove its claims', async () => {
    const { schedule } = await givenShowtime(t);
    const held = await hold(t.http, alice, schedule.id, [
      { row: 2, col: 1 },
      { row: 2, col: 2 },
    ]).expect(201);
    const id = held.body.data.id;
    expect(await claimsOf(t.db, { orderId: id })).toHaveLength(2);

    const deadline = Date.now() + 5000;
    while ((await orderRow(t.db, id)).status === 'pending' && Date.now() < deadline) await sleep(100);
    const row = await orderRow(t.db, id);
    expect(row.status).toBe('expired');
    expect(row.closedAt).not.toBeNull();
    expect(await claimsOf(t.db, { orderId: id })).toHaveLength(0);
    expect((await pay(t.http, alice, id).expect(409)).body.code).toBe(2006);
    const seats = (await t.http.get(`${API}/schedules/${schedule.id}/seats`).expect(200)).body.data.seats;
    expect(seats.every((s: { status: string }) => s.status === 'available')).toBe(true);
  });

  it('should not let the sweep touch an order paid in time', async () => {
    const { schedule } = await givenShowtime(t);
    const held = await hold(t.http, alice, schedule.id, [{ row: 3, col: 1 }]).expect(201);
    await pay(t.http, alice, held.body.data.id).expect(200);
    await sleep(2500);
    expect((await orderRow(t.db, held.body.data.id)).status).toBe('paid');
    const claims = await claimsOf(t.db, { orderId: held.body.data.id });
    expect(claims.map((c) => c.expiresAt)).toEqual([null]);
  });
});
