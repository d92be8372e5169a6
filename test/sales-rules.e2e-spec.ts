import { givenShowtime, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp } from './support/test-app';
import { API, buyTickets, hold } from './support/ticketing';

/**
 * The rules of other modules that depend on sales (2009, soldCount), driven by real holds and
 * payments through the orders API instead of rows written by hand.
 */
describe('Sales-dependent rules of showtimes, halls and movies', () => {
  let t: TestApp;
  let customer: GivenUser;
  let admin: GivenUser;

  beforeAll(async () => {
    t = await bootTestApp();
    customer = await givenUser(t);
    admin = await givenUser(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const later = (startsAt: Date, hours: number) => new Date(startsAt.getTime() + hours * 3_600_000).toISOString();

  it('should report soldCount on GET /schedules/:id through pay and refund', async () => {
    const { schedule } = await givenShowtime(t);
    const soldCount = async () => (await t.http.get(`${API}/schedules/${schedule.id}`).expect(200)).body.data.soldCount;
    const held = await hold(t.http, customer, schedule.id, [{ row: 1, col: 1 }]).expect(201);
    expect(await soldCount()).toBe(0);
    await t.http.post(`${API}/orders/${held.body.data.id}/pay`).set(customer.auth).send({}).expect(200);
    const more = await buyTickets(t.http, customer, schedule.id, [
      { row: 1, col: 2 },
      { row: 1, col: 3 },
    ]);
    expect(await soldCount()).toBe(3);
    await t.http.post(`${API}/orders/${more.id}/refund`).set(customer.auth).expect(200);
    expect(await soldCount()).toBe(1);
  });

  it('should refuse to move or delete a showtime with a live hold or a sale (2009), and allow it once freed', async () => {
    const { schedule, merchant } = await givenShowtime(t);
    const url = `${API}/schedules/${schedule.id}`;
    const held = await hold(t.http, customer, schedule.id, [{ row: 2, col: 2 }]).expect(201);
    expect(
      (
        await t.http
          .patch(url)
          .set(merchant.auth)
          .send({ startsAt: later(schedule.startsAt, 2) })
          .expect(409)
      ).body.code,
    ).toBe(2009);
    expect((await t.http.delete(url).set(merchant.auth).expect(409)).body.code).toBe(2009);
    await t.http.post(`${API}/orders/${held.body.data.id}/pay`).set(customer.auth).send({}).expect(200);
    expect((await t.http.delete(url).set(merchant.auth).expect(409)).body.code).toBe(2009);
    // A price change is allowed after sales and leaves the paid order's amount alone.
    await t.http.patch(url).set(merchant.auth).send({ price: 99 }).expect(200);
    expect(
      (await t.http.get(`${API}/orders/${held.body.data.id}`).set(customer.auth).expect(200)).body.data.amount,
    ).toBe(45.5);

    await t.http.post(`${API}/orders/${held.body.data.id}/refund`).set(customer.auth).expect(200);
    await t.http
      .patch(url)
      .set(merchant.auth)
      .send({ startsAt: later(schedule.startsAt, 2) })
      .expect(200);
    await t.http.delete(url).set(merchant.auth).expect(200);
  });

  it('should refuse a layout that takes away a sold seat (2009), and allow it after the refund', async () => {
    const { schedule, hall, merchant } = await givenShowtime(t, { hall: { rows: 5, cols: 8 } });
    const paid = await buyTickets(t.http, customer, schedule.id, [{ row: 5, col: 8 }]);
    const patch = (body: object) => t.http.patch(`${API}/halls/${hall.id}`).set(merchant.auth).send(body);
    expect((await patch({ disabledSeats: [{ row: 5, col: 8 }] }).expect(409)).body.code).toBe(2009);
    expect((await patch({ rows: 4 }).expect(409)).body.code).toBe(2009);
    await patch({ disabledSeats: [{ row: 1, col: 1 }] }).expect(200);
    await t.http.post(`${API}/orders/${paid.id}/refund`).set(customer.auth).expect(200);
    await patch({ rows: 4 }).expect(200);
    const seats = (await t.http.get(`${API}/schedules/${schedule.id}/seats`).expect(200)).body.data;
    expect(seats).toMatchObject({ rows: 4, cols: 8 });
    expect(seats.seats[0]).toEqual({ row: 1, col: 1, status: 'disabled', zone: 'standard', price: 45.5, pair: null });
  });

  it('should refuse to delete a movie with sold tickets (2009), and delete it after the refund', async () => {
    const { schedule, movie } = await givenShowtime(t);
    const paid = await buyTickets(t.http, customer, schedule.id, [{ row: 1, col: 1 }]);
    expect((await t.http.delete(`${API}/movies/${movie.id}`).set(admin.auth).expect(409)).body.code).toBe(2009);
    await t.http.post(`${API}/orders/${paid.id}/refund`).set(customer.auth).expect(200);
    await t.http.delete(`${API}/movies/${movie.id}`).set(admin.auth).expect(200);
  });
});
