import { Order } from '../src/ticketing/entities/order.entity';
import { givenShowtime, givenUser, GivenUser } from './support/factories';
import { spawnApps, SpawnedApp, stopApps } from './support/spawn-app';
import { API } from './support/ticketing';
import { bootTestApp, TestApp } from './support/test-app';

/**
 * CONTRACT 13: "however many holds race for a voucher's last use, on any number of instances, at
 * most maxUses orders carry it", through two real server processes on one MariaDB database. Only
 * MySQL/MariaDB can be shared by separate processes here.
 */
(process.env.TEST_DB_KIND === 'mysql' ? describe : describe.skip)('Voucher races across two app processes', () => {
  let t: TestApp;
  let apps: SpawnedApp[] = [];
  let admin: GivenUser;

  beforeAll(async () => {
    t = await bootTestApp();
    admin = await givenUser(t, 'admin');
    apps = await spawnApps(2, {
      DATABASE_URL: process.env.TEST_MYSQL_DATABASE_URL as string,
      JWT_SECRET: process.env.JWT_SECRET as string,
    });
  }, 180_000);

  afterAll(async () => {
    await stopApps(apps);
    await t?.close();
  });

  async function voucher(body: object): Promise<{ id: number; code: string }> {
    const res = await apps[0].http
      .post(`${API}/vouchers`)
      .set(admin.auth)
      .send({ kind: 'amount', value: 5, ...body });
    if (res.status !== 201) throw new Error(`voucher: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  const seatOf = (i: number) => ({ row: Math.floor(i / 8) + 1, col: (i % 8) + 1 });

  it('should let exactly one of 20 holds racing through both processes take the last use', async () => {
    // Four showtimes: holds of one showtime queue on its row anyway; those of others meet only at the voucher.
    const shows = await Promise.all(Array.from({ length: 4 }, () => givenShowtime(t, { hall: { rows: 5, cols: 8 } })));
    const last = await voucher({ maxUses: 1 });
    const customers = await Promise.all(Array.from({ length: 20 }, () => givenUser(t)));
    const answers = await Promise.all(
      customers.map((customer, i) =>
        apps[i % 2].http
          .post(`${API}/orders`)
          .set(customer.auth)
          .send({ scheduleId: shows[i % 4].schedule.id, seats: [seatOf(i)], voucherCode: last.code }),
      ),
    );
    expect(answers.map((res) => res.status).sort()).toEqual([201, ...Array(19).fill(409)]);
    expect(answers.filter((res) => res.body.code === 2012)).toHaveLength(19);
    const carrying = await t.db.getRepository(Order).findBy({ voucherId: last.id });
    expect(carrying).toHaveLength(1);
    expect(carrying[0]).toMatchObject({ status: 'pending', discountCents: 500 });

    // The winner cancels: the use comes back, and the next hold through the other process takes it.
    const winner = answers.findIndex((res) => res.status === 201);
    await apps[0].http
      .post(`${API}/orders/${answers[winner].body.data.id}/cancel`)
      .set(customers[winner].auth)
      .expect(200);
    const next = (winner + 1) % 20;
    await apps[1].http
      .post(`${API}/orders`)
      .set(customers[next].auth)
      .send({ scheduleId: shows[0].schedule.id, seats: [seatOf(20)], voucherCode: last.code })
      .expect(201);
  }, 60_000);

  it('should hold a customer to their own limit when their holds race through both processes', async () => {
    const shows = await Promise.all([givenShowtime(t), givenShowtime(t), givenShowtime(t)]);
    const perUser = await voucher({ maxUses: 100, perUserMaxUses: 2 });
    const customer = await givenUser(t);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        apps[i % 2].http
          .post(`${API}/orders`)
          .set(customer.auth)
          .send({ scheduleId: shows[i % 3].schedule.id, seats: [seatOf(i)], voucherCode: perUser.code }),
      ),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(2);
    expect(answers.filter((res) => res.body.code === 2012)).toHaveLength(4);
    expect(await t.db.getRepository(Order).countBy({ voucherId: perUser.id, userId: customer.user.id })).toBe(2);
  }, 60_000);

  it('should let the holds of eight showtimes race for one voucher without going over, round after round', async () => {
    for (let round = 0; round < 3; round++) {
      const shows = await Promise.all(Array.from({ length: 8 }, () => givenShowtime(t)));
      const three = await voucher({ maxUses: 3 });
      const customers = await Promise.all(Array.from({ length: 32 }, () => givenUser(t)));
      const answers = await Promise.all(
        customers.map((customer, i) =>
          apps[i % 2].http
            .post(`${API}/orders`)
            .set(customer.auth)
            .send({ scheduleId: shows[i % 8].schedule.id, seats: [seatOf(i)], voucherCode: three.code }),
        ),
      );
      expect(answers.filter((res) => res.status === 201)).toHaveLength(3);
      expect(await t.db.getRepository(Order).countBy({ voucherId: three.id })).toBe(3);
    }
  }, 90_000);
});
