import { writeStatement } from '../src/database/statement';
import type { Transaction } from '../src/database/transaction';
import { OutboxService, type NewEvent } from '../src/outbox/outbox.service';
import { OutboxEvent } from '../src/outbox/entities/outbox-event.entity';
import { Payment } from '../src/payments/entities/payment.entity';
import { givenShowtime, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp } from './support/test-app';
import { API, buyTickets, hold, orderRow, pay, soldCountOf } from './support/ticketing';

/**
 * CONTRACT section 14, "recorded in the same transaction as the change": a change whose event
 * cannot be written does not happen, and an event whose change fails afterwards is not kept.
 */
describe('Outbox: an event and its change commit together', () => {
  let t: TestApp;
  let customer: GivenUser;
  let outbox: OutboxService;

  beforeAll(async () => {
    // Nothing sent here: the rows are what the test reads.
    t = await bootTestApp({ NOTIFICATION_WORKER: 'off' });
    customer = await givenUser(t);
    outbox = t.app.get(OutboxService);
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(() => jest.restoreAllMocks());

  const eventsOf = (orderId: number) =>
    t.db.getRepository(OutboxEvent).find({ where: { orderId }, order: { id: 'ASC' } });

  /** The event's INSERT fails in the database, inside the change's transaction. */
  const breakTheInsert = () =>
    jest.spyOn(outbox, 'record').mockImplementation(async (tx: Transaction) => {
      await tx.send(writeStatement('INSERT INTO outbox_events (no_such_column) VALUES (1)', {}));
    });

  /** The event is written, then the change fails after it. */
  const failAfterTheEvent = () => {
    const real = OutboxService.prototype.record;
    return jest.spyOn(outbox, 'record').mockImplementation(async function (
      this: OutboxService,
      tx,
      events: NewEvent[],
    ) {
      await real.call(outbox, tx, events);
      throw new Error('the change failed after its event');
    });
  };

  it('should leave an order unpaid when its order.paid cannot be recorded', async () => {
    const { schedule } = await givenShowtime(t);
    const held = await hold(t.http, customer, schedule.id, [{ row: 1, col: 1 }]).expect(201);
    breakTheInsert();
    const res = await pay(t.http, customer, held.body.data.id).expect(500);
    expect(res.body).toMatchObject({ code: 5000, data: null });
    expect((await orderRow(t.db, held.body.data.id)).status).toBe('pending');
    expect(await soldCountOf(t.db, schedule.id)).toBe(0);
    expect(await t.db.getRepository(Payment).countBy({ orderId: held.body.data.id })).toBe(0);
    expect(await eventsOf(held.body.data.id)).toEqual([]);

    jest.restoreAllMocks();
    await pay(t.http, customer, held.body.data.id).expect(200);
    expect((await eventsOf(held.body.data.id)).map((event) => event.type)).toEqual(['order.paid']);
  });

  it('should keep no event of a refund, cancel or check-in that failed after writing it', async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const paid = await buyTickets(t.http, customer, schedule.id, [{ row: 2, col: 2 }]);
    const held = await hold(t.http, customer, schedule.id, [{ row: 3, col: 3 }]).expect(201);
    failAfterTheEvent();

    await t.http.post(`${API}/orders/${paid.id}/refund`).set(customer.auth).expect(500);
    await t.http.post(`${API}/orders/${held.body.data.id}/cancel`).set(customer.auth).expect(500);
    await t.http.post(`${API}/tickets/check-in`).set(merchant.auth).send({ ticketCode: paid.ticketCode }).expect(500);

    const order = await orderRow(t.db, paid.id);
    expect({ status: order.status, checkedInAt: order.checkedInAt }).toEqual({ status: 'paid', checkedInAt: null });
    expect((await orderRow(t.db, held.body.data.id)).status).toBe('pending');
    expect(await soldCountOf(t.db, schedule.id)).toBe(1);
    expect((await eventsOf(paid.id)).map((event) => event.type)).toEqual(['order.paid']);
    expect(await eventsOf(held.body.data.id)).toEqual([]);
  });

  it('should record each change once, with the order as the change left it', async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const paid = await buyTickets(t.http, customer, schedule.id, [{ row: 4, col: 4 }]);
    await t.http.post(`${API}/tickets/check-in`).set(merchant.auth).send({ ticketCode: paid.ticketCode }).expect(200);
    const events = await eventsOf(paid.id);
    expect(events.map((event) => event.type)).toEqual(['order.paid', 'ticket.checked_in']);
    const [sold, scanned] = events.map((event) => JSON.parse(event.body));
    expect(sold).toMatchObject({ type: 'order.paid', data: { id: paid.id, status: 'paid', checkedInAt: null } });
    expect(sold.data.ticketCode).toBe(paid.ticketCode);
    expect(scanned.data.checkedInAt).toEqual(expect.any(String));
    expect(new Set(events.map((event) => event.eventId)).size).toBe(2);
    expect(events.every((event) => event.cinemaId === schedule.cinemaId && event.userId === customer.user.id)).toBe(
      true,
    );
  });
});
