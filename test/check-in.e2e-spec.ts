import { Order } from '../src/ticketing/entities/order.entity';
import { newTicketCode } from '../src/ticketing/ticket-code';
import { givenShowtime, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp } from './support/test-app';
import { API, buyTickets, hold, orderRow } from './support/ticketing';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('Check-in: POST /tickets/check-in (CONTRACT 7)', () => {
  let t: TestApp;
  let customer: GivenUser;
  let admin: GivenUser;

  const checkIn = (who: GivenUser, ticketCode: unknown) =>
    t.http.post(`${API}/tickets/check-in`).set(who.auth).send({ ticketCode });

  beforeAll(async () => {
    t = await bootTestApp();
    customer = await givenUser(t);
    admin = await givenUser(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  it("should check a paid ticket in for the showtime's cinema owner, once", async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const paid = await buyTickets(t.http, customer, schedule.id, [{ row: 1, col: 1 }]);
    const res = await checkIn(merchant, paid.ticketCode).expect(200);
    expect(res.body.code).toBe(1000);
    // The merchant sees the order, but the code stays the customer's.
    expect(res.body.data).toEqual({ ...paid, checkedInAt: expect.stringMatching(ISO), ticketCode: null });
    const row = await orderRow(t.db, paid.id);
    expect(row.checkedInAt?.toISOString()).toBe(res.body.data.checkedInAt);
    expect(row.status).toBe('paid');

    const second = await checkIn(merchant, paid.ticketCode).expect(409);
    expect(second.body).toMatchObject({ code: 2008, data: null });
    const own = await t.http.get(`${API}/orders/${paid.id}`).set(customer.auth).expect(200);
    expect(own.body.data).toMatchObject({
      status: 'paid',
      checkedInAt: res.body.data.checkedInAt,
      ticketCode: paid.ticketCode,
    });
  });

  it('should let an admin check in any cinema', async () => {
    const { schedule } = await givenShowtime(t);
    const paid = await buyTickets(t.http, customer, schedule.id, [{ row: 2, col: 2 }]);
    const res = await checkIn(admin, paid.ticketCode).expect(200);
    expect(res.body.data.checkedInAt).toMatch(ISO);
  });

  it('should answer 1013 to a merchant of another cinema, and leave the ticket usable', async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const stranger = await givenUser(t, 'merchant');
    const paid = await buyTickets(t.http, customer, schedule.id, [{ row: 1, col: 1 }]);
    const res = await checkIn(stranger, paid.ticketCode).expect(403);
    expect(res.body).toMatchObject({ code: 1013, data: null });
    expect((await orderRow(t.db, paid.id)).checkedInAt).toBeNull();
    await checkIn(merchant, paid.ticketCode).expect(200);
  });

  it('should answer 1013 to a customer and 1007 without a token', async () => {
    const { schedule } = await givenShowtime(t);
    const paid = await buyTickets(t.http, customer, schedule.id, [{ row: 1, col: 1 }]);
    expect((await checkIn(customer, paid.ticketCode).expect(403)).body.code).toBe(1013);
    const anonymous = await t.http.post(`${API}/tickets/check-in`).send({ ticketCode: paid.ticketCode }).expect(401);
    expect(anonymous.body.code).toBe(1007);
    expect((await orderRow(t.db, paid.id)).checkedInAt).toBeNull();
  });

  it('should answer 2008 for an unknown, malformed or refunded code', async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const refunded = await buyTickets(t.http, customer, schedule.id, [{ row: 3, col: 3 }]);
    await t.http.post(`${API}/orders/${refunded.id}/refund`).set(customer.auth).expect(200);
    for (const code of ['0000000000000000', '12345', 'not-a-code', refunded.ticketCode]) {
      const res = await checkIn(merchant, code).expect(409);
      expect(res.body).toMatchObject({ code: 2008, data: null });
    }
    expect((await orderRow(t.db, refunded.id)).checkedInAt).toBeNull();
  });

  it('should answer 2008 for the code of an order that is no longer paid, however it got there', async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const held = await hold(t.http, customer, schedule.id, [{ row: 4, col: 4 }]).expect(201);
    // A pending order has no code; a code pointing at one (data repaired by hand) must still not pass.
    const code = newTicketCode();
    await t.db.getRepository(Order).update({ id: held.body.data.id }, { ticketCode: code });
    expect((await checkIn(merchant, code).expect(409)).body.code).toBe(2008);
  });

  it('should answer 1002 without a ticketCode', async () => {
    const { merchant } = await givenShowtime(t);
    const res = await t.http.post(`${API}/tickets/check-in`).set(merchant.auth).send({}).expect(400);
    expect(res.body).toMatchObject({ code: 1002, data: [{ field: 'ticketCode' }] });
    expect((await checkIn(merchant, 1234567890123456).expect(400)).body.code).toBe(1002);
  });

  it('should no longer refund a checked-in ticket (2007)', async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const paid = await buyTickets(t.http, customer, schedule.id, [{ row: 5, col: 5 }]);
    await checkIn(merchant, paid.ticketCode).expect(200);
    const res = await t.http.post(`${API}/orders/${paid.id}/refund`).set(customer.auth).expect(409);
    expect(res.body.code).toBe(2007);
    expect((await orderRow(t.db, paid.id)).status).toBe('paid');
  });
});
