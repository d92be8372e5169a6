import { givenShowtime, givenUser } from './support/factories';
import { API, hold, orderRow } from './support/ticketing';
import { bootTestApp, TestApp } from './support/test-app';

/** CONTRACT 12: the channels a cinema takes, and how `POST /orders/:id/pay` names one. */
describe('Payment channels', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const heldOrder = async () => {
    const showtime = await givenShowtime(t);
    const alice = await givenUser(t);
    const held = await hold(t.http, alice, showtime.schedule.id, [{ row: 1, col: 1 }]).expect(201);
    return { alice, id: held.body.data.id as number };
  };

  it('should list the enabled channels and their methods to anyone, as a plain list', async () => {
    const res = await t.http.get(`${API}/payments/channels`).expect(200);
    expect(res.body).toEqual({
      code: 1000,
      msg: expect.any(String),
      data: [{ channel: 'mock', methods: ['qr', 'app'] }],
    });
  });

  it('should pay at once through mock whichever method is named', async () => {
    for (const method of ['qr', 'app']) {
      const { alice, id } = await heldOrder();
      const paid = await t.http
        .post(`${API}/orders/${id}/pay`)
        .set(alice.auth)
        .send({ channel: 'mock', method })
        .expect(200);
      expect(paid.body.data).toMatchObject({ id, status: 'paid', ticketCode: expect.any(String) });
      expect((await orderRow(t.db, id)).status).toBe('paid');
    }
  });

  it('should answer 1002 to a channel or method that is not enabled, and leave the order pending', async () => {
    const { alice, id } = await heldOrder();
    for (const body of [
      { channel: 'alipay' },
      { channel: 'wechat', method: 'qr' },
      { method: 'card' },
      { channel: 'mock', extra: 1 },
    ]) {
      const res = await t.http.post(`${API}/orders/${id}/pay`).set(alice.auth).send(body).expect(400);
      expect(res.body.code).toBe(1002);
    }
    expect((await orderRow(t.db, id)).status).toBe('pending');
  });
});
