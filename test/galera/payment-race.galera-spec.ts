import { In } from 'typeorm';
import { Payment } from '../../src/payments/entities/payment.entity';
import { Order } from '../../src/ticketing/entities/order.entity';
import { SeatClaim } from '../../src/ticketing/entities/seat-claim.entity';
import { givenShowtime, givenUser } from '../support/factories';
import { AppProcess, stopAppProcesses } from '../support/app-process';
import type { WechatNotificationMessage } from '../support/gateways/wechat-pay-gateway';
import {
  eventually,
  lapsePayments,
  paymentsOf,
  ProviderGateways,
  startProviderGateways,
} from '../support/provider-payments';
import { Channel, PaidAtProvider, paymentRaceReads } from '../support/payment-race';
import { bootTestApp, TestApp } from '../support/test-app';
import { API, hold, lapse, pay, Seat, sleep } from '../support/ticketing';
import { logsOf, startNodeApps } from './galera-apps';

/**
 * CONTRACT 12 and 15 ("payments and their notifications" hold on a Galera Cluster as on one
 * server): one order's notification delivered at the same moment to two instances on two
 * different nodes, with a cancel through the third and, for lapsed holds, the running sweep of all
 * three (each asks the provider about lapsed attempts every second, then expires lapsed orders).
 * A row updated on one node does not block a writer on another; the loser learns it at commit.
 * Every order ends in exactly one outcome: sold with its money kept, or not sold with its money
 * refunded once. The in-process app (factories, reads) talks to node 1, where what the other nodes
 * commit may show a moment later: reads that follow another node's write are polled.
 */
describe('Provider payment races through the three instances of a Galera Cluster (CONTRACT 12, 15)', () => {
  let t: TestApp;
  let gateways: ProviderGateways;
  let apps: AppProcess[] = [];
  const { settledStates, sold, refunded, seatBook } = paymentRaceReads(
    () => t.db,
    () => gateways,
  );
  /** Instances that answered a 5xx (or nothing) in the current test: their logs are printed after it. */
  const failing = new Set<number>();

  beforeAll(async () => {
    gateways = await startProviderGateways();
    // The in-process app makes the data and reads the rows; only the three processes sweep.
    t = await bootTestApp({ SWEEP_SECONDS: '3600' });
    apps = await startNodeApps(gateways.env);
  }, 240_000);

  afterEach(() => {
    if (failing.size) console.log(logsOf(apps, failing));
    failing.clear();
  });

  afterAll(async () => {
    await stopAppProcesses(apps);
    await t?.close();
    await gateways?.stop();
  }, 60_000);

  /** Instance i (mod 3), on node i + 1. */
  const via = (i: number) => i % apps.length;

  /** Holds `seats` and opens a QR payment through instance `at`, then the customer pays at the gateway. */
  async function paidAtProvider(
    at: number,
    scheduleId: number,
    seats: Seat[],
    channel: Channel,
  ): Promise<PaidAtProvider> {
    const a = apps[via(at)];
    const customer = await givenUser(t);
    const held = await hold(a.http, customer, scheduleId, seats);
    if (held.status !== 201) throw new Error(`hold: ${held.status} ${JSON.stringify(held.body)}`);
    const id = held.body.data.id as number;
    const opened = await a.http.post(`${API}/orders/${id}/pay`).set(customer.auth).send({ channel, method: 'qr' });
    if (opened.status !== 200 || opened.body.data.payment?.status !== 'pending') {
      throw new Error(`pay with ${channel}: ${opened.status} ${JSON.stringify(opened.body)}`);
    }
    const [payment] = await eventually(
      () => paymentsOf(t.db, id),
      (payments) => payments.length > 0,
    );
    const notification =
      channel === 'alipay' ? gateways.alipay.pay(payment.outTradeNo) : gateways.wechat.pay(payment.outTradeNo);
    return {
      customer,
      id,
      scheduleId,
      seats,
      channel,
      outTradeNo: payment.outTradeNo,
      amountCents: payment.amountCents,
      notification,
    };
  }

  /** Posts the order's notification to instance i as the provider does; answers `instance status text`. */
  async function deliver(i: number, order: PaidAtProvider): Promise<string> {
    const answer = await post(apps[via(i)], order);
    if (!/^[24]/.test(answer)) failing.add(via(i));
    return `instance ${via(i) + 1}: ${answer}`;
  }

  async function post(app: AppProcess, order: PaidAtProvider): Promise<string> {
    try {
      if (order.channel === 'alipay') {
        const url = `${app.url}${API}/payments/alipay/notify`;
        const res = await gateways.alipay.notify(url, order.notification as Record<string, string>);
        return `${res.status} ${res.text}`;
      }
      const url = `${app.url}${API}/payments/wechat/notify`;
      const res = await gateways.wechat.notify(url, order.notification as WechatNotificationMessage);
      return `${res.status}${res.body ? ` ${res.body}` : ''}`;
    } catch (error) {
      return `not delivered: ${(error as Error).message}`;
    }
  }

  /** At once (in this tick) for `ms` <= 0, else after `ms`. */
  const after = (ms: number) => (ms > 0 ? sleep(ms) : Promise.resolve());

  const accepted = (i: number, channel: Channel) =>
    `instance ${via(i) + 1}: ${channel === 'alipay' ? '200 success' : '204'}`;

  async function cancel(i: number, order: PaidAtProvider): Promise<string> {
    const res = await apps[via(i)].http.post(`${API}/orders/${order.id}/cancel`).set(order.customer.auth);
    if (res.status >= 500) failing.add(via(i));
    return `${res.status}/${res.body?.code}`;
  }

  it('should end each of 10 orders paid or refunded once when its notification reaches two instances on two nodes at once, with a cancel through the third and the sweep', async () => {
    const showtimes = await Promise.all([0, 1].map(() => givenShowtime(t, { hall: { rows: 6, cols: 4 } })));
    const scheduleIds = showtimes.map((showtime) => showtime.schedule.id);
    const plans = Array.from({ length: 10 }, (_, i) => {
      const row = Math.floor(i / 2) + 1;
      return {
        scheduleId: scheduleIds[i % 2],
        // Every third order holds two seats, so that sold_count counts seats, not orders.
        seats: i % 3 === 0 ? [1, 2].map((col) => ({ row, col })) : [{ row, col: 1 }],
        channel: i % 2 === 0 ? ('alipay' as const) : ('wechat' as const),
        // Half of them (both channels) have lapsed by the time their notifications come.
        lapsed: Math.floor(i / 2) % 2 === 1,
        // The notifications go to instances i and i + 1, the cancel through i + 2: every pair of nodes takes a turn.
        notifyVia: [i, i + 1],
        cancelVia: i + 2,
        // Which of the notifications and the cancel reaches the database first turns on a
        // millisecond or two, so they leave a little apart either way; for a lapsed hold, 400 ms
        // after is when a sweep's query has most likely settled the payment first.
        notifyAfterMs: [-3, -3, 0, 0, 1, 1, 3, 3, 400, 400][i],
      };
    });
    const orders: PaidAtProvider[] = [];
    for (const [i, plan] of plans.entries()) {
      orders.push(await paidAtProvider(i, plan.scheduleId, plan.seats, plan.channel));
    }

    // Started 150 ms apart, so that the races fall at different points of the three instances' sweeps.
    const races = await Promise.all(
      orders.map(async (order, i) => {
        const { lapsed, notifyVia, cancelVia, notifyAfterMs } = plans[i];
        await sleep(i * 150);
        if (lapsed) {
          await lapse(t.db, order.id);
          await lapsePayments(t.db, order.id);
        }
        const [first, second, cancelled] = await Promise.all([
          after(notifyAfterMs).then(() => deliver(notifyVia[0], order)),
          after(notifyAfterMs).then(() => deliver(notifyVia[1], order)),
          after(-notifyAfterMs).then(() => cancel(cancelVia, order)),
        ]);
        return { notified: [first, second], cancelled: `instance ${via(cancelVia) + 1}: ${cancelled}` };
      }),
    );
    const states = await settledStates(orders);

    const verdicts = orders.map((order, i) => ({
      order: order.id,
      channel: order.channel,
      lapsed: plans[i].lapsed,
      notified: races[i].notified,
      cancelled: races[i].cancelled,
      state: states[i],
    }));
    // One outcome each: sold (the cancel lost), or cancelled/expired with the payment refunded in full, once.
    expect(verdicts).toEqual(
      verdicts.map((verdict, i) => {
        const order = orders[i];
        const { notifyVia, cancelVia, lapsed } = plans[i];
        const expected = {
          ...verdict,
          notified: notifyVia.map((instance) => accepted(instance, order.channel)),
        };
        const cancelledAs = (answer: string) => `instance ${via(cancelVia) + 1}: ${answer}`;
        if (verdict.cancelled === cancelledAs('200/1000')) return { ...expected, state: refunded(order, 'cancelled') };
        const cancelLost = { ...expected, cancelled: cancelledAs('409/2006') };
        if (verdict.state.order === 'paid') return { ...cancelLost, state: sold(order) };
        // Not sold and not cancelled: only a lapsed hold could have lost its seats' sale (it expired).
        return { ...cancelLost, state: refunded(order, lapsed ? 'expired' : 'cancelled') };
      }),
    );
    expect(await seatBook(scheduleIds)).toEqual(
      scheduleIds.map((scheduleId) => {
        const seats = orders
          .filter((order, i) => order.scheduleId === scheduleId && states[i].order === 'paid')
          .reduce((sum, order) => sum + order.seats.length, 0);
        return {
          scheduleId,
          seatsClaimedTwice: [],
          soldCount: seats,
          seatsOfPaidOrders: seats,
          permanentClaims: seats,
        };
      }),
    );
    const pending = await t.db
      .getRepository(Payment)
      .findBy({ orderId: In(orders.map((order) => order.id)), status: In(['pending', 'refunding']) });
    expect(pending).toEqual([]);
  }, 120_000);

  it('should refund a lapsed order paid late whose seat a rival bought, its notification reaching two instances on two nodes at once', async () => {
    const showtime = await givenShowtime(t, { hall: { rows: 2, cols: 2 } });
    const scheduleId = showtime.schedule.id;
    const orders: PaidAtProvider[] = [];
    const verdicts = [];
    for (const [i, channel] of (['alipay', 'wechat'] as Channel[]).entries()) {
      const seat = { row: i + 1, col: 1 };
      // Opened through instance i, notified through i + 1 and i + 2, the rival on i + 2, the cancel on i.
      const order = await paidAtProvider(i, scheduleId, [seat], channel);
      orders.push(order);
      await lapse(t.db, order.id);
      // The rival takes the seat, free since the hold lapsed, and pays at once (mock).
      const rival = await givenUser(t);
      const rivalHeld = await hold(apps[via(i + 2)].http, rival, scheduleId, [seat]);
      const rivalId = rivalHeld.body.data?.id as number;
      const rivalPaid = await pay(apps[via(i + 2)].http, rival, rivalId);
      // Only now may the sweeps ask the provider about the payment (earlier, a query answered paid
      // would have sold the free seat to the late payment before the rival came).
      await lapsePayments(t.db, order.id);
      // Both notifications at once, with a cancel, while the three instances sweep every second.
      const [first, second, cancelled] = await Promise.all([
        deliver(i + 1, order),
        deliver(i + 2, order),
        cancel(i, order),
      ]);
      const [state] = await settledStates([order]);
      const rivalRow = await t.db.getRepository(Order).findOneBy({ id: rivalId });
      const seatClaims = await t.db
        .getRepository(SeatClaim)
        .findBy({ scheduleId, seatRow: seat.row, seatCol: seat.col });
      verdicts.push({
        order: order.id,
        channel,
        rival: `hold ${rivalHeld.status}, pay ${rivalPaid.status}, order ${rivalRow?.status}`,
        seatClaims: seatClaims.map((claim) => (claim.orderId === rivalId ? 'rival' : `order ${claim.orderId}`)),
        rivalClaimPermanent: seatClaims.every((claim) => claim.expiresAt === null),
        notified: [first, second],
        cancelled,
        state,
      });
    }
    expect(verdicts).toEqual(
      verdicts.map((verdict, i) => ({
        ...verdict,
        rival: 'hold 201, pay 200, order paid',
        seatClaims: ['rival'],
        rivalClaimPermanent: true,
        notified: [accepted(i + 1, verdict.channel), accepted(i + 2, verdict.channel)],
        cancelled: '409/2006',
        state: refunded(orders[i], 'expired'),
      })),
    );
    expect(await seatBook([scheduleId])).toEqual([
      { scheduleId, seatsClaimedTwice: [], soldCount: 2, seatsOfPaidOrders: 2, permanentClaims: 2 },
    ]);
  }, 60_000);
});
