import { In } from 'typeorm';
import { Payment } from '../src/payments/entities/payment.entity';
import { Order } from '../src/ticketing/entities/order.entity';
import { SeatClaim } from '../src/ticketing/entities/seat-claim.entity';
import { givenShowtime, givenUser } from './support/factories';
import type { WechatNotificationMessage } from './support/gateways/wechat-pay-gateway';
import { lapsePayments, paymentsOf, ProviderGateways, startProviderGateways } from './support/provider-payments';
import { ownDatabase } from './support/own-database';
import { Channel, PaidAtProvider, paymentRaceReads } from './support/payment-race';
import { spawnApps, SpawnedApp, stopApps } from './support/spawn-app';
import { bootTestApp, TestApp } from './support/test-app';
import { API, hold, lapse, pay, Seat, sleep } from './support/ticketing';

/**
 * CONTRACT 12 ("whatever order notifications, queries, expiries and retries arrive in") across two
 * real server processes on one MariaDB database: one order's notification delivered to both
 * instances at the same moment as a cancel and, for lapsed holds, the running sweep of both (each
 * asks the provider about lapsed attempts every second, then expires lapsed orders). Every order
 * ends in exactly one outcome: sold with its money kept, or not sold with its money refunded once.
 * Only MySQL/MariaDB can be shared by separate processes here.
 */
(process.env.TEST_DB_KIND === 'mysql' ? describe : describe.skip)(
  'Provider payment races across two app processes (CONTRACT 12)',
  () => {
    let t: TestApp;
    let gateways: ProviderGateways;
    let apps: SpawnedApp[] = [];
    const { settledStates, sold, refunded, seatBook } = paymentRaceReads(
      () => t.db,
      () => gateways,
    );
    let database: Awaited<ReturnType<typeof ownDatabase>>;

    beforeAll(async () => {
      gateways = await startProviderGateways();
      database = await ownDatabase();
      // The in-process app migrates the database, makes the data and reads the rows; only the two processes sweep.
      t = await bootTestApp({ DATABASE_URL: database.url, DB_MIGRATIONS_RUN: 'true', SWEEP_SECONDS: '3600' });
      const redis = process.env.TEST_REDIS_URL;
      apps = await spawnApps(2, {
        DATABASE_URL: database.url,
        JWT_SECRET: process.env.JWT_SECRET as string,
        ...(redis ? { REDIS_URL: redis } : {}),
        ...gateways.env,
        SWEEP_SECONDS: '1',
      });
    }, 180_000);

    afterAll(async () => {
      await stopApps(apps);
      await t?.close();
      await gateways?.stop();
      await database?.drop();
    }, 60_000);

    /** Holds `seats` and opens a QR payment through instance A, then the customer pays at the gateway. */
    async function paidAtProvider(scheduleId: number, seats: Seat[], channel: Channel): Promise<PaidAtProvider> {
      const [a] = apps;
      const customer = await givenUser(t);
      const held = await hold(a.http, customer, scheduleId, seats);
      if (held.status !== 201) throw new Error(`hold: ${held.status} ${JSON.stringify(held.body)}`);
      const id = held.body.data.id as number;
      const opened = await a.http.post(`${API}/orders/${id}/pay`).set(customer.auth).send({ channel, method: 'qr' });
      if (opened.status !== 200 || opened.body.data.payment?.status !== 'pending') {
        throw new Error(`pay with ${channel}: ${opened.status} ${JSON.stringify(opened.body)}`);
      }
      const [payment] = await paymentsOf(t.db, id);
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

    /** Posts the order's notification to an instance as the provider does; answers `status text`. */
    async function deliver(app: SpawnedApp, order: PaidAtProvider): Promise<string> {
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

    const accepted = (channel: Channel) => (channel === 'alipay' ? '200 success' : '204');

    async function cancel(app: SpawnedApp, order: PaidAtProvider): Promise<string> {
      const res = await app.http.post(`${API}/orders/${order.id}/cancel`).set(order.customer.auth);
      return `${res.status}/${res.body?.code}`;
    }

    it('should end each of 12 orders paid or refunded once when its notification reaches both instances with a cancel and the sweep', async () => {
      const showtimes = await Promise.all([0, 1].map(() => givenShowtime(t, { hall: { rows: 6, cols: 4 } })));
      const scheduleIds = showtimes.map((showtime) => showtime.schedule.id);
      const plans = Array.from({ length: 12 }, (_, i) => {
        const row = Math.floor(i / 2) + 1;
        return {
          scheduleId: scheduleIds[i % 2],
          // Every third order holds two seats, so that sold_count counts seats, not orders.
          seats: i % 3 === 0 ? [1, 2].map((col) => ({ row, col })) : [{ row, col: 1 }],
          channel: i % 2 === 0 ? ('alipay' as const) : ('wechat' as const),
          // Half of them (both channels) have lapsed by the time their notifications come.
          lapsed: Math.floor(i / 2) % 2 === 1,
          // The cancel goes through A or B.
          cancelVia: Math.floor(i / 4) % 2,
          // Which of the notifications and the cancel reaches the database first turns on a
          // millisecond or two, so they leave a little apart either way; for a lapsed hold, 400 ms
          // after is when the sweep's query has most likely settled the payment first.
          notifyAfterMs: [-3, -3, 0, 0, 1, 1, 2, 2, 4, 4, 400, 400][i],
        };
      });
      const orders: PaidAtProvider[] = [];
      for (const plan of plans) orders.push(await paidAtProvider(plan.scheduleId, plan.seats, plan.channel));

      // Started 150 ms apart, so that the races fall at different points of the two instances' sweeps.
      const races = await Promise.all(
        orders.map(async (order, i) => {
          await sleep(i * 150);
          if (plans[i].lapsed) {
            await lapse(t.db, order.id);
            await lapsePayments(t.db, order.id);
          }
          const { notifyAfterMs } = plans[i];
          const [toA, toB, cancelled] = await Promise.all([
            after(notifyAfterMs).then(() => deliver(apps[0], order)),
            after(notifyAfterMs).then(() => deliver(apps[1], order)),
            after(-notifyAfterMs).then(() => cancel(apps[plans[i].cancelVia], order)),
          ]);
          return { notified: [toA, toB], cancelled };
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
          const expected = {
            ...verdict,
            notified: [accepted(order.channel), accepted(order.channel)],
          };
          if (verdict.cancelled === '200/1000') return { ...expected, state: refunded(order, 'cancelled') };
          const cancelLost = { ...expected, cancelled: '409/2006' };
          if (verdict.state.order === 'paid') return { ...cancelLost, state: sold(order) };
          // Not sold and not cancelled: only a lapsed hold could have lost its seats' sale (it expired).
          return { ...cancelLost, state: refunded(order, plans[i].lapsed ? 'expired' : 'cancelled') };
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

    it('should refund a lapsed order paid late while a rival holds and bought its seat, its notification reaching both instances at once', async () => {
      const showtime = await givenShowtime(t, { hall: { rows: 2, cols: 2 } });
      const scheduleId = showtime.schedule.id;
      const orders: PaidAtProvider[] = [];
      const verdicts = [];
      for (const [i, channel] of (['alipay', 'wechat'] as Channel[]).entries()) {
        const seat = { row: i + 1, col: 1 };
        const order = await paidAtProvider(scheduleId, [seat], channel);
        orders.push(order);
        await lapse(t.db, order.id);
        // The rival takes the seat, free since the hold lapsed, through instance B and pays at once (mock).
        const rival = await givenUser(t);
        const rivalHeld = await hold(apps[1].http, rival, scheduleId, [seat]);
        const rivalId = rivalHeld.body.data?.id as number;
        const rivalPaid = await pay(apps[1].http, rival, rivalId);
        // Only now may the sweeps ask the provider about the payment (earlier, a query answered paid
        // would have sold the free seat to the late payment before the rival came).
        await lapsePayments(t.db, order.id);
        // Both notifications at once, with a cancel, while both instances sweep every second.
        const [toA, toB, cancelled] = await Promise.all([
          deliver(apps[0], order),
          deliver(apps[1], order),
          cancel(apps[i], order),
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
          notified: [toA, toB],
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
          notified: [accepted(verdict.channel), accepted(verdict.channel)],
          cancelled: '409/2006',
          state: refunded(orders[i], 'expired'),
        })),
      );
      expect(await seatBook([scheduleId])).toEqual([
        { scheduleId, seatsClaimedTwice: [], soldCount: 2, seatsOfPaidOrders: 2, permanentClaims: 2 },
      ]);
    }, 60_000);
  },
);
