import { Order } from '../src/ticketing/entities/order.entity';
import { SeatHoldsService } from '../src/ticketing/seat-holds.service';
import { givenShowtime, givenUser } from './support/factories';
import { API } from './support/ticketing';
import { bootTestApp, TestApp, unique } from './support/test-app';

describe('Safe retries with Idempotency-Key (CONTRACT section 10)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const holdWithKey = (auth: { Authorization: string }, key: string, body: object) =>
    t.http.post(`${API}/orders`).set(auth).set('Idempotency-Key', key).send(body);

  it('should create one order for 10 racing retries, each answering that order or 2010', async () => {
    const { schedule } = await givenShowtime(t);
    const buyer = await givenUser(t);
    const key = unique('k-');
    const body = { scheduleId: schedule.id, seats: [{ row: 1, col: 1 }] };
    const answers = await Promise.all(Array.from({ length: 10 }, () => holdWithKey(buyer.auth, key, body)));
    const orders = await t.db.getRepository(Order).findBy({ userId: buyer.user.id });
    expect(orders).toHaveLength(1);
    for (const res of answers) {
      if (res.status === 201) expect(res.body.data.id).toBe(orders[0].id);
      else expect(res.body).toMatchObject({ code: 2010, data: null });
    }
    expect(answers.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);

    const retry = await holdWithKey(buyer.auth, key, body).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const first = answers.find((r) => r.status === 201 && !r.headers['idempotent-replayed']);
    expect(retry.body).toEqual(first?.body);
  });

  it('should refuse the same key with a different body (2010), and keep keys of different users apart', async () => {
    const { schedule } = await givenShowtime(t);
    const [alice, bob] = [await givenUser(t), await givenUser(t)];
    const key = unique('k-');
    await holdWithKey(alice.auth, key, { scheduleId: schedule.id, seats: [{ row: 1, col: 1 }] }).expect(201);
    const changed = await holdWithKey(alice.auth, key, { scheduleId: schedule.id, seats: [{ row: 1, col: 2 }] }).expect(
      409,
    );
    expect(changed.body.code).toBe(2010);
    const bobs = await holdWithKey(bob.auth, key, { scheduleId: schedule.id, seats: [{ row: 2, col: 1 }] }).expect(201);
    expect(bobs.headers['idempotent-replayed']).toBeUndefined();
    expect(await t.db.getRepository(Order).countBy({ scheduleId: schedule.id })).toBe(2);
  });

  it('should replay a 4xx answer, pay only once, and answer 1002 to a malformed key', async () => {
    const { schedule } = await givenShowtime(t);
    const [alice, bob] = [await givenUser(t), await givenUser(t)];
    const seat = { scheduleId: schedule.id, seats: [{ row: 3, col: 3 }] };
    const held = await holdWithKey(alice.auth, unique('k-'), seat).expect(201);
    const key = unique('k-');
    const refused = await holdWithKey(bob.auth, key, seat).expect(409);
    expect(refused.body.code).toBe(2003);
    await t.http.post(`${API}/orders/${held.body.data.id}/cancel`).set(alice.auth).expect(200);
    const replayed = await holdWithKey(bob.auth, key, seat).expect(409);
    expect(replayed.body).toEqual(refused.body);
    expect(replayed.headers['idempotent-replayed']).toBe('true');

    const payKey = unique('p-');
    const order = (await holdWithKey(bob.auth, unique('k-'), seat).expect(201)).body.data;
    const pays = await Promise.all(
      [1, 2, 3].map(() =>
        t.http.post(`${API}/orders/${order.id}/pay`).set(bob.auth).set('Idempotency-Key', payKey).send({}),
      ),
    );
    const paid = pays.filter((r) => r.status === 200);
    expect(paid.length).toBeGreaterThanOrEqual(1);
    expect(new Set(paid.map((r) => r.body.data.ticketCode)).size).toBe(1);

    for (const bad of ['has space', 'x'.repeat(65), 'semi;colon']) {
      const res = await holdWithKey(bob.auth, bad, seat).expect(400);
      expect(res.body.code).toBe(1002);
    }
  });

  it('should not store a 5xx, so that a retry does the work', async () => {
    const { schedule } = await givenShowtime(t);
    const buyer = await givenUser(t);
    const key = unique('k-');
    const body = { scheduleId: schedule.id, seats: [{ row: 1, col: 1 }] };
    const holds = t.app.get(SeatHoldsService);
    const spy = jest.spyOn(holds, 'hold').mockRejectedValueOnce(new Error('database went away'));
    const failed = await holdWithKey(buyer.auth, key, body).expect(500);
    expect(failed.body).toEqual({ code: 5000, msg: expect.any(String), data: null });
    spy.mockRestore();
    const retried = await holdWithKey(buyer.auth, key, body).expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await t.db.getRepository(Order).countBy({ userId: buyer.user.id })).toBe(1);
  });
});
