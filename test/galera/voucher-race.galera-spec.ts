import { Order } from '../../src/ticketing/entities/order.entity';
import { AppProcess, stopAppProcesses } from '../support/app-process';
import { givenShowtime, givenUser, GivenUser } from '../support/factories';
import { bootTestApp, TestApp } from '../support/test-app';
import { API } from '../support/ticketing';
import { answerOf, logsOf, startNodeApps } from './galera-apps';

/**
 * CONTRACT 13 and 15: a voucher's last use is taken at most once across the nodes of a Galera
 * Cluster. A row lock on one node is not seen by the others, so every hold that names a voucher
 * writes its row (use_version): holds racing on two nodes conflict at certification, and the one
 * that loses is decided again and counts the use the winner took.
 */
describe('Voucher races through the three instances of a Galera Cluster (CONTRACT 13, 15)', () => {
  let t: TestApp;
  let apps: AppProcess[] = [];
  let admin: GivenUser;
  const failing = new Set<number>();

  beforeAll(async () => {
    t = await bootTestApp({ SWEEP_SECONDS: '3600' });
    admin = await givenUser(t, 'admin');
    apps = await startNodeApps();
  }, 240_000);

  afterEach(() => {
    if (failing.size) console.log(logsOf(apps, failing));
    failing.clear();
  });

  afterAll(async () => {
    await stopAppProcesses(apps);
    await t?.close();
  });

  async function voucher(body: object): Promise<{ id: number; code: string }> {
    const res = await apps[0].http
      .post(`${API}/vouchers`)
      .set(admin.auth)
      .send({ kind: 'amount', value: 5, ...body });
    if (res.status !== 201) throw new Error(`voucher: ${answerOf(res, 0)}`);
    return res.body.data;
  }

  const seatOf = (i: number) => ({ row: Math.floor(i / 8) + 1, col: (i % 8) + 1 });

  /** Orders carrying the voucher, read until the nodes agree (node 1 may see another node's commit a moment later). */
  async function carrying(voucherId: number, expected: number): Promise<number> {
    let count = 0;
    for (let i = 0; i < 40; i++) {
      count = await t.db.getRepository(Order).countBy({ voucherId });
      if (count === expected) return count;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return count;
  }

  it('should give the last use to one of 30 holds racing through the three nodes', async () => {
    const show = await givenShowtime(t, { hall: { rows: 5, cols: 8 } });
    const last = await voucher({ maxUses: 1 });
    const customers = await Promise.all(Array.from({ length: 30 }, () => givenUser(t)));
    const answers = await Promise.all(
      customers.map((customer, i) =>
        apps[i % 3].http
          .post(`${API}/orders`)
          .set(customer.auth)
          .send({ scheduleId: show.schedule.id, seats: [seatOf(i)], voucherCode: last.code }),
      ),
    );
    answers.forEach((res, i) => {
      if (res.status >= 500) failing.add(i % 3);
    });
    expect(answers.filter((res) => res.status >= 500).map((res, i) => answerOf(res, i % 3))).toEqual([]);
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    expect(answers.filter((res) => res.body.code === 2012)).toHaveLength(29);
    expect(await carrying(last.id, 1)).toBe(1);
  }, 90_000);

  it('should keep a voucher of 5 uses to 5 orders across two showtimes and three nodes, and hand a cancelled use on', async () => {
    const [first, second] = await Promise.all([givenShowtime(t), givenShowtime(t)]);
    const five = await voucher({ maxUses: 5 });
    const customers = await Promise.all(Array.from({ length: 24 }, () => givenUser(t)));
    const answers = await Promise.all(
      customers.map((customer, i) =>
        apps[i % 3].http
          .post(`${API}/orders`)
          .set(customer.auth)
          .send({ scheduleId: (i % 2 ? first : second).schedule.id, seats: [seatOf(i)], voucherCode: five.code }),
      ),
    );
    expect(answers.filter((res) => res.status >= 500)).toEqual([]);
    const won = answers.flatMap((res, i) => (res.status === 201 ? [i] : []));
    expect(won).toHaveLength(5);
    expect(await carrying(five.id, 5)).toBe(5);

    // One winner cancels through one node; a loser takes the use through another.
    const [winner] = won;
    await apps[(winner + 1) % 3].http
      .post(`${API}/orders/${answers[winner].body.data.id}/cancel`)
      .set(customers[winner].auth)
      .expect(200);
    const loser = answers.findIndex((res) => res.status !== 201);
    const retried = await apps[(winner + 2) % 3].http
      .post(`${API}/orders`)
      .set(customers[loser].auth)
      .send({ scheduleId: (loser % 2 ? first : second).schedule.id, seats: [seatOf(30)], voucherCode: five.code });
    expect(answerOf(retried)).toMatch(/^201 /);
  }, 90_000);
});
