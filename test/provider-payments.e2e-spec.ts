import { OutboxEvent } from '../src/outbox/entities/outbox-event.entity';
import { HoldSweepService } from '../src/ticketing/hold-sweep.service';
import { Order } from '../src/ticketing/entities/order.entity';
import { SeatClaim } from '../src/ticketing/entities/seat-claim.entity';
import { givenShowtime, givenUser, GivenUser } from './support/factories';
import { rsa2Sign, signContent } from './support/gateways/alipay-gateway';
import {
  ALIPAY_APP_ID,
  alipayNotify,
  lapsePayments,
  paymentsOf,
  ProviderGateways,
  refundOf,
  startProviderGateways,
  wechatNotify,
} from './support/provider-payments';
import { API, claimsOf, hold, lapse, orderRow, pay, Seat, soldCountOf } from './support/ticketing';
import { bootTestApp, TestApp } from './support/test-app';

/** CONTRACT 12 against local gateways that keep trades, sign like Alipay and WeChat Pay, and check our signatures. */
describe('Provider payments: Alipay and WeChat Pay (CONTRACT 12)', () => {
  let t: TestApp;
  let gateways: ProviderGateways;

  beforeAll(async () => {
    gateways = await startProviderGateways();
    // The sweep is run by the tests themselves, at the moment each one needs it.
    t = await bootTestApp({ ...gateways.env, SWEEP_SECONDS: '3600' });
  });

  afterAll(async () => {
    await t.close();
    await gateways.stop();
  });

  const sweep = () => t.app.get(HoldSweepService).sweep();

  /** A customer with a pending order on a fresh showtime (price 45.50, so 2 seats are 91 yuan). */
  async function heldOrder(seats: Seat[] = [{ row: 1, col: 1 }]) {
    const showtime = await givenShowtime(t);
    const customer = await givenUser(t);
    const held = await hold(t.http, customer, showtime.schedule.id, seats).expect(201);
    return { customer, showtime, scheduleId: showtime.schedule.id, id: held.body.data.id as number };
  }

  function payWith(customer: GivenUser, id: number, body: object) {
    return t.http.post(`${API}/orders/${id}/pay`).set(customer.auth).send(body);
  }

  async function openAlipay(seats?: Seat[]) {
    const order = await heldOrder(seats);
    const res = await payWith(order.customer, order.id, { channel: 'alipay' }).expect(200);
    const outTradeNo = (await paymentsOf(t.db, order.id))[0].outTradeNo;
    return { ...order, outTradeNo, answer: res.body.data };
  }

  async function openWechat(method: 'qr' | 'app' = 'qr') {
    const order = await heldOrder();
    const res = await payWith(order.customer, order.id, { channel: 'wechat', method }).expect(200);
    const outTradeNo = (await paymentsOf(t.db, order.id))[0].outTradeNo;
    return { ...order, outTradeNo, answer: res.body.data };
  }

  describe('Alipay', () => {
    it('should open a QR trade with the hold as its expiry, answer the same payment again, and settle it by notification', async () => {
      const { customer, id, scheduleId, outTradeNo, answer } = await openAlipay([
        { row: 1, col: 1 },
        { row: 1, col: 2 },
      ]);
      expect(answer).toMatchObject({ id, status: 'pending', ticketCode: null });
      expect(answer.payment).toEqual({
        id: expect.any(Number),
        channel: 'alipay',
        method: 'qr',
        status: 'pending',
        amount: 91,
        qrCode: `https://qr.alipay.com/bax0${outTradeNo}`,
        appParams: null,
        providerTradeNo: null,
        createdAt: expect.any(String),
        paidAt: null,
        refundedAt: null,
      });
      const trade = gateways.alipay.trade(outTradeNo)!;
      expect(trade).toMatchObject({ amountCents: 9100, status: 'WAIT_BUYER_PAY' });
      expect(trade.notifyUrl).toBe('http://127.0.0.1:9/api/v1/payments/alipay/notify');
      // time_expire is the hold's expiry, to the second, in China time.
      const expiresAt = new Date(answer.expiresAt as string);
      const china = new Date(expiresAt.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
      expect(trade.timeExpire).toBe(china);

      const again = await payWith(customer, id, { channel: 'alipay', method: 'qr' }).expect(200);
      expect(again.body.data.payment.id).toBe(answer.payment.id);
      expect(gateways.alipay.calls.filter((call) => call.bizContent.out_trade_no === outTradeNo)).toHaveLength(1);

      const notified = await alipayNotify(t.http, gateways.alipay.pay(outTradeNo));
      expect(notified).toEqual({ status: 200, text: 'success' });
      const order = await t.http.get(`${API}/orders/${id}`).set(customer.auth).expect(200);
      expect(order.body.data).toMatchObject({ status: 'paid', ticketCode: expect.stringMatching(/^\d{16}$/) });
      expect(order.body.data.payment).toMatchObject({
        status: 'paid',
        providerTradeNo: trade.tradeNo,
        paidAt: expect.any(String),
      });
      expect(await soldCountOf(t.db, scheduleId)).toBe(2);
      expect((await claimsOf(t.db, { orderId: id })).map((claim) => claim.expiresAt)).toEqual([null, null]);
      expect((await orderRow(t.db, id)).paymentChannel).toBe('alipay');
    });

    it('should hand the app its signed order string for method app', async () => {
      const { customer, id } = await heldOrder();
      const res = await payWith(customer, id, { channel: 'alipay', method: 'app' }).expect(200);
      expect(res.body.data.payment).toMatchObject({ method: 'app', qrCode: null, status: 'pending' });
      const params = new URLSearchParams(res.body.data.payment.appParams as string);
      expect(params.get('method')).toBe('alipay.trade.app.pay');
      expect(params.get('app_id')).toBe(ALIPAY_APP_ID);
      expect(params.get('sign_type')).toBe('RSA2');
      expect(params.get('sign')).toBeTruthy();
    });

    it('should pay once for the same notification sent 8 times at once, and answer success to each', async () => {
      const { id, scheduleId, outTradeNo } = await openAlipay();
      const form = gateways.alipay.pay(outTradeNo);
      const answers = await Promise.all(Array.from({ length: 8 }, () => alipayNotify(t.http, form)));
      expect(answers).toEqual(Array(8).fill({ status: 200, text: 'success' }));
      expect((await orderRow(t.db, id)).status).toBe('paid');
      expect(await soldCountOf(t.db, scheduleId)).toBe(1);
      const [payment] = await paymentsOf(t.db, id);
      expect(payment.status).toBe('paid');
      expect(await refundOf(t.db, payment.id)).toBeNull();
      // Replayed later: still success, still nothing more.
      expect(await alipayNotify(t.http, form)).toEqual({ status: 200, text: 'success' });
      expect(await soldCountOf(t.db, scheduleId)).toBe(1);
    });

    it('should answer failure and change nothing for a tampered signature, another app id or a wrong amount', async () => {
      const { id, outTradeNo } = await openAlipay();
      const paid = gateways.alipay.pay(outTradeNo);
      const tampered = { ...paid, total_amount: '0.01' };
      const otherApp = gateways.alipay.signNotification({ ...paid, app_id: '2021999999999999' });
      const wrongAmount = gateways.alipay.signNotification({ ...paid, total_amount: '45.49' });
      const unsigned = { ...paid, sign: '' };
      for (const form of [tampered, otherApp, wrongAmount, unsigned]) {
        expect(await alipayNotify(t.http, form)).toEqual({ status: 200, text: 'failure' });
      }
      expect((await orderRow(t.db, id)).status).toBe('pending');
      expect((await paymentsOf(t.db, id))[0]).toMatchObject({ status: 'pending', providerTradeNo: null });
    });

    it('should settle by the sweep\u2019s query when the notification never comes', async () => {
      const { id, scheduleId, outTradeNo } = await openAlipay();
      gateways.alipay.pay(outTradeNo);
      await lapse(t.db, id);
      await lapsePayments(t.db, id);
      await sweep();
      expect((await orderRow(t.db, id)).status).toBe('paid');
      expect((await paymentsOf(t.db, id))[0].status).toBe('paid');
      expect(await soldCountOf(t.db, scheduleId)).toBe(1);
    });

    it('should close the trade at the provider when the hold lapses unpaid', async () => {
      const { id, outTradeNo } = await openAlipay();
      await lapse(t.db, id);
      await lapsePayments(t.db, id);
      await sweep();
      expect(gateways.alipay.trade(outTradeNo)!.status).toBe('TRADE_CLOSED');
      expect((await paymentsOf(t.db, id))[0]).toMatchObject({ status: 'closed', openSlot: null });
      expect((await orderRow(t.db, id)).status).toBe('expired');
    });

    it('should keep asking at the next sweep while the provider cannot be reached', async () => {
      const { id, outTradeNo } = await openAlipay();
      await lapse(t.db, id);
      await lapsePayments(t.db, id);
      await gateways.alipay.down();
      try {
        await sweep();
      } finally {
        await gateways.alipay.up();
      }
      expect((await paymentsOf(t.db, id))[0].status).toBe('pending');
      // The seats are free from expiresAt on regardless.
      expect((await orderRow(t.db, id)).status).toBe('expired');
      await sweep();
      expect((await paymentsOf(t.db, id))[0].status).toBe('closed');
      expect(gateways.alipay.trade(outTradeNo)!.status).toBe('TRADE_CLOSED');
    });

    it('should sell to a late payment while the seats are still free, swept or not', async () => {
      for (const swept of [false, true]) {
        const { id, scheduleId, outTradeNo } = await openAlipay();
        await lapse(t.db, id);
        if (swept) {
          // What the sweep leaves: the order expired, its claims gone.
          await t.db.getRepository(Order).update({ id }, { status: 'expired', closedAt: new Date() });
          await t.db.getRepository(SeatClaim).delete({ orderId: id });
        }
        expect(await alipayNotify(t.http, gateways.alipay.pay(outTradeNo))).toEqual({ status: 200, text: 'success' });
        expect(await orderRow(t.db, id)).toMatchObject({ status: 'paid', closedAt: null });
        expect((await claimsOf(t.db, { orderId: id })).map((claim) => claim.expiresAt)).toEqual([null]);
        expect(await soldCountOf(t.db, scheduleId)).toBe(1);
      }
    });

    it('should refund a late payment whose seat went to someone else, and leave the new owner untouched', async () => {
      const { id, scheduleId, outTradeNo } = await openAlipay();
      await lapse(t.db, id);
      const rival = await givenUser(t);
      const rivals = await hold(t.http, rival, scheduleId, [{ row: 1, col: 1 }]).expect(201);
      await pay(t.http, rival, rivals.body.data.id).expect(200);

      expect(await alipayNotify(t.http, gateways.alipay.pay(outTradeNo))).toEqual({ status: 200, text: 'success' });
      // The settlement ends the lapsed hold the sweep had not ended yet, and reports it (CONTRACT 14).
      expect((await orderRow(t.db, id)).status).toBe('expired');
      const events = await t.db.getRepository(OutboxEvent).findBy({ orderId: id });
      expect(events.map((event) => [event.type, JSON.parse(event.body).data.status])).toEqual([
        ['order.expired', 'expired'],
      ]);
      const [payment] = await paymentsOf(t.db, id);
      expect(payment).toMatchObject({ status: 'refunded', refundedAt: expect.any(Date) });
      expect(await refundOf(t.db, payment.id)).toMatchObject({ status: 'succeeded', amountCents: 4550 });
      expect(gateways.alipay.trade(outTradeNo)!.refunds).toEqual([{ refundNo: `R${outTradeNo}`, amountCents: 4550 }]);
      expect((await orderRow(t.db, rivals.body.data.id)).status).toBe('paid');
      expect(await claimsOf(t.db, { scheduleId })).toEqual([
        expect.objectContaining({ orderId: rivals.body.data.id, expiresAt: null }),
      ]);
      expect(await soldCountOf(t.db, scheduleId)).toBe(1);
    });

    it('should send a refund decided while Alipay was unreachable at the next sweep, once', async () => {
      const { id, scheduleId, outTradeNo } = await openAlipay();
      await lapse(t.db, id);
      const rival = await givenUser(t);
      const rivals = await hold(t.http, rival, scheduleId, [{ row: 1, col: 1 }]).expect(201);
      await pay(t.http, rival, rivals.body.data.id).expect(200);
      const form = gateways.alipay.pay(outTradeNo);
      // As if the instance died between the commit that decided the refund and sending it.
      await gateways.alipay.down();
      try {
        expect(await alipayNotify(t.http, form)).toEqual({ status: 200, text: 'success' });
      } finally {
        await gateways.alipay.up();
      }
      const [payment] = await paymentsOf(t.db, id);
      expect(payment.status).toBe('refunding');
      expect(await refundOf(t.db, payment.id)).toMatchObject({ status: 'pending' });
      expect(gateways.alipay.trade(outTradeNo)!.refunds).toEqual([]);

      await sweep();
      await sweep();
      expect((await paymentsOf(t.db, id))[0].status).toBe('refunded');
      expect(await refundOf(t.db, payment.id)).toMatchObject({ status: 'succeeded' });
      expect(gateways.alipay.trade(outTradeNo)!.refunds).toHaveLength(1);
    });

    it('should refund a payment for a cancelled order, and close the open trade when the order is cancelled', async () => {
      const { customer, id, outTradeNo } = await openAlipay();
      const paidForm = gateways.alipay.pay(outTradeNo);
      const cancelled = await t.http.post(`${API}/orders/${id}/cancel`).set(customer.auth).expect(200);
      expect(cancelled.body.data.status).toBe('cancelled');
      // Paid at Alipay already, so it could not be closed: it stays pending until its notification (or the sweep).
      expect(cancelled.body.data.payment.status).toBe('pending');
      expect(await alipayNotify(t.http, paidForm)).toEqual({ status: 200, text: 'success' });
      expect((await paymentsOf(t.db, id))[0].status).toBe('refunded');
      expect((await orderRow(t.db, id)).status).toBe('cancelled');

      const unpaid = await openAlipay();
      const res = await t.http.post(`${API}/orders/${unpaid.id}/cancel`).set(unpaid.customer.auth).expect(200);
      expect(res.body.data.payment.status).toBe('closed');
      expect(gateways.alipay.trade(unpaid.outTradeNo)!.status).toBe('TRADE_CLOSED');
    });

    it('should refund at the provider: accepted, refused (2007), unreachable (5000), then a retry refunds once', async () => {
      const bought = async () => {
        const order = await openAlipay();
        expect(await alipayNotify(t.http, gateways.alipay.pay(order.outTradeNo))).toMatchObject({ text: 'success' });
        return order;
      };
      const accepted = await bought();
      const res = await t.http.post(`${API}/orders/${accepted.id}/refund`).set(accepted.customer.auth).expect(200);
      expect(res.body.data).toMatchObject({ status: 'refunded', payment: { status: 'refunded' } });
      expect(gateways.alipay.trade(accepted.outTradeNo)!.refunds).toHaveLength(1);
      expect(await soldCountOf(t.db, accepted.scheduleId)).toBe(0);

      const refused = await bought();
      gateways.alipay.failNext('alipay.trade.refund', {
        subCode: 'ACQ.SELLER_BALANCE_NOT_ENOUGH',
        subMsg: '卖家余额不足',
      });
      const no = await t.http.post(`${API}/orders/${refused.id}/refund`).set(refused.customer.auth).expect(409);
      expect(no.body).toMatchObject({ code: 2007, msg: expect.stringContaining('卖家余额不足') });
      expect((await orderRow(t.db, refused.id)).status).toBe('paid');
      expect((await paymentsOf(t.db, refused.id))[0].status).toBe('paid');

      const down = await bought();
      await gateways.alipay.down();
      try {
        const failed = await t.http.post(`${API}/orders/${down.id}/refund`).set(down.customer.auth).expect(500);
        expect(failed.body.code).toBe(5000);
      } finally {
        await gateways.alipay.up();
      }
      expect((await orderRow(t.db, down.id)).status).toBe('paid');
      expect(await soldCountOf(t.db, down.scheduleId)).toBe(1);
      await t.http.post(`${API}/orders/${down.id}/refund`).set(down.customer.auth).expect(200);
      await t.http.post(`${API}/orders/${down.id}/refund`).set(down.customer.auth).expect(409);
      expect(gateways.alipay.trade(down.outTradeNo)!.refunds).toHaveLength(1);
    });

    it('should answer 5000 and record nothing when the provider cannot open the trade', async () => {
      const { customer, id } = await heldOrder();
      await gateways.alipay.down();
      try {
        const res = await payWith(customer, id, { channel: 'alipay' }).expect(500);
        expect(res.body.code).toBe(5000);
      } finally {
        await gateways.alipay.up();
      }
      expect(await paymentsOf(t.db, id)).toEqual([]);
      expect((await orderRow(t.db, id)).status).toBe('pending');
    });
  });

  describe('WeChat Pay', () => {
    it('should open a Native order, settle it by a verified notification, and answer 204', async () => {
      const { customer, id, scheduleId, outTradeNo, answer } = await openWechat();
      expect(answer.payment).toMatchObject({ channel: 'wechat', method: 'qr', status: 'pending' });
      expect(answer.payment.qrCode).toMatch(/^weixin:\/\/wxpay\//);
      expect(gateways.wechat.trade(outTradeNo)).toMatchObject({ tradeType: 'NATIVE', amountCents: 4550 });

      const message = gateways.wechat.pay(outTradeNo);
      const notified = await wechatNotify(t.http, message);
      expect(notified.status).toBe(204);
      const order = await t.http.get(`${API}/orders/${id}`).set(customer.auth).expect(200);
      expect(order.body.data).toMatchObject({
        status: 'paid',
        payment: { status: 'paid', providerTradeNo: gateways.wechat.trade(outTradeNo)!.transactionId },
      });
      expect(await soldCountOf(t.db, scheduleId)).toBe(1);
      // The same notification again: accepted, nothing more.
      expect((await wechatNotify(t.http, message)).status).toBe(204);
      expect(await soldCountOf(t.db, scheduleId)).toBe(1);
    });

    it('should hand the app what its SDK takes for method app', async () => {
      const { answer } = await openWechat('app');
      expect(answer.payment.appParams).toEqual({
        appid: expect.any(String),
        partnerid: expect.any(String),
        prepayid: expect.any(String),
        package: 'Sign=WXPay',
        noncestr: expect.any(String),
        timestamp: expect.any(String),
        sign: expect.any(String),
      });
    });

    it('should answer 400 FAIL and change nothing for a bad signature, a stale timestamp or garbage', async () => {
      const { id, outTradeNo } = await openWechat();
      const message = gateways.wechat.pay(outTradeNo);
      const stale = {
        body: message.body,
        headers: gateways.wechat.signedHeaders(message.body, Math.floor(Date.now() / 1000) - 600),
      };
      const forged = {
        body: message.body.replace('"event_type":"TRANSACTION.SUCCESS"', '"event_type":"TRANSACTION.SUCCESS" '),
        headers: message.headers,
      };
      const missing = { body: message.body, headers: {} };
      const garbage = { body: '{"id":', headers: gateways.wechat.signedHeaders('{"id":') };
      for (const bad of [stale, forged, missing, garbage]) {
        const res = await wechatNotify(t.http, bad);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ code: 'FAIL', message: expect.any(String) });
      }
      expect((await orderRow(t.db, id)).status).toBe('pending');
      expect((await paymentsOf(t.db, id))[0].status).toBe('pending');
    });

    it('should refund while WeChat Pay processes, then read refunded on its refund notification', async () => {
      const { customer, id, outTradeNo } = await openWechat();
      expect((await wechatNotify(t.http, gateways.wechat.pay(outTradeNo))).status).toBe(204);
      gateways.wechat.refundProcessing();
      try {
        const res = await t.http.post(`${API}/orders/${id}/refund`).set(customer.auth).expect(200);
        expect(res.body.data).toMatchObject({ status: 'refunded', payment: { status: 'refunding', refundedAt: null } });
      } finally {
        gateways.wechat.finishRefunds();
      }
      const [payment] = await paymentsOf(t.db, id);
      expect(await refundOf(t.db, payment.id)).toMatchObject({ status: 'processing', refundNo: `R${outTradeNo}` });
      expect((await wechatNotify(t.http, gateways.wechat.refundNotification(`R${outTradeNo}`))).status).toBe(204);
      expect((await paymentsOf(t.db, id))[0]).toMatchObject({ status: 'refunded', refundedAt: expect.any(Date) });
      expect(await refundOf(t.db, payment.id)).toMatchObject({ status: 'succeeded' });
      expect(gateways.wechat.refundedCents(outTradeNo)).toBe(4550);
    });

    it('should learn of a PROCESSING refund from the sweep when its notification never comes', async () => {
      const { customer, id, outTradeNo } = await openWechat();
      expect((await wechatNotify(t.http, gateways.wechat.pay(outTradeNo))).status).toBe(204);
      gateways.wechat.refundProcessing();
      await t.http.post(`${API}/orders/${id}/refund`).set(customer.auth).expect(200);
      await sweep();
      expect((await paymentsOf(t.db, id))[0].status).toBe('refunding');
      gateways.wechat.finishRefunds();
      await sweep();
      expect((await paymentsOf(t.db, id))[0].status).toBe('refunded');
    });
  });

  it('should refund the later of two channels both paid, and keep the order paid by the first', async () => {
    const { customer, id, scheduleId } = await heldOrder();
    await payWith(customer, id, { channel: 'alipay' }).expect(200);
    await payWith(customer, id, { channel: 'wechat' }).expect(200);
    const [alipayAttempt, wechatAttempt] = await paymentsOf(t.db, id);
    // Scanned and paid both before either notification arrived.
    const alipayForm = gateways.alipay.pay(alipayAttempt.outTradeNo);
    const wechatMessage = gateways.wechat.pay(wechatAttempt.outTradeNo);
    expect((await wechatNotify(t.http, wechatMessage)).status).toBe(204);
    expect(await alipayNotify(t.http, alipayForm)).toEqual({ status: 200, text: 'success' });

    const [alipayAfter, wechatAfter] = await paymentsOf(t.db, id);
    expect(wechatAfter.status).toBe('paid');
    expect(alipayAfter.status).toBe('refunded');
    expect(gateways.alipay.trade(alipayAttempt.outTradeNo)!.refunds).toHaveLength(1);
    expect(await orderRow(t.db, id)).toMatchObject({ status: 'paid', paymentChannel: 'wechat' });
    expect(await soldCountOf(t.db, scheduleId)).toBe(1);
    // The latest attempt is the one opened last.
    const order = await t.http.get(`${API}/orders/${id}`).set(customer.auth).expect(200);
    expect(order.body.data.payment).toMatchObject({ id: wechatAttempt.id, channel: 'wechat' });
  });

  it('should close the other open attempts once one pays', async () => {
    const { customer, id } = await heldOrder();
    await payWith(customer, id, { channel: 'alipay' }).expect(200);
    await payWith(customer, id, { channel: 'wechat' }).expect(200);
    const [alipayAttempt, wechatAttempt] = await paymentsOf(t.db, id);
    expect((await wechatNotify(t.http, gateways.wechat.pay(wechatAttempt.outTradeNo))).status).toBe(204);
    expect((await paymentsOf(t.db, id))[0].status).toBe('closed');
    expect(gateways.alipay.trade(alipayAttempt.outTradeNo)!.status).toBe('TRADE_CLOSED');
  });

  it('should record mock payments too, and list each order with its latest payment', async () => {
    const { customer, id } = await heldOrder();
    const paid = await payWith(customer, id, { channel: 'mock', method: 'app' }).expect(200);
    expect(paid.body.data.payment).toMatchObject({ channel: 'mock', method: 'app', status: 'paid', amount: 45.5 });
    const list = await t.http.get(`${API}/orders`).set(customer.auth).expect(200);
    expect(list.body.data[0]).toMatchObject({ id, payment: { channel: 'mock', status: 'paid' } });
    const refunded = await t.http.post(`${API}/orders/${id}/refund`).set(customer.auth).expect(200);
    expect(refunded.body.data.payment).toMatchObject({ status: 'refunded', refundedAt: expect.any(String) });
  });

  describe('bad input on the notification endpoints', () => {
    it('should never answer 5xx and never change an order', async () => {
      const { id, outTradeNo } = await openAlipay();
      const wechat = await openWechat();
      const huge = 'x'.repeat(2 * 1024 * 1024);
      const answers = [
        await t.http.post(`${API}/payments/alipay/notify`).type('form').send('garbage%%%&&=='),
        await t.http.post(`${API}/payments/alipay/notify`).type('form').send(''),
        await t.http.post(`${API}/payments/alipay/notify`).type('form').send(`a=${huge}`),
        await t.http
          .post(`${API}/payments/alipay/notify`)
          .set('Content-Type', 'application/json')
          .send('{"out_trade_no":1}'),
        await t.http.post(`${API}/payments/alipay/notify`).type('form').send({
          out_trade_no: outTradeNo,
          trade_status: 'TRADE_SUCCESS',
          total_amount: '45.50',
          app_id: ALIPAY_APP_ID,
          sign: 'AAAA',
        }),
        await t.http.post(`${API}/payments/wechat/notify`).set('Content-Type', 'application/json').send('not json'),
        await t.http.post(`${API}/payments/wechat/notify`).set('Content-Type', 'text/plain').send(huge),
        await t.http.post(`${API}/payments/wechat/notify`).send({}),
      ];
      for (const res of answers) expect(res.status).toBeLessThan(500);
      expect(answers[0].text).toBe('failure');
      expect(answers[4].text).toBe('failure');
      expect((await orderRow(t.db, id)).status).toBe('pending');
      expect((await orderRow(t.db, wechat.id)).status).toBe('pending');
    });

    it('should refuse a notification signed with a key that is not Alipay\u2019s', async () => {
      const { id, outTradeNo } = await openAlipay();
      const form = gateways.alipay.pay(outTradeNo);
      const { privateKey } = (await import('./support/gateways/alipay-gateway')).rsaKeyPair();
      const unsigned = { ...form };
      delete unsigned.sign;
      delete unsigned.sign_type;
      const forged = { ...unsigned, sign_type: 'RSA2', sign: rsa2Sign(signContent(unsigned, []), privateKey) };
      expect(await alipayNotify(t.http, forged)).toEqual({ status: 200, text: 'failure' });
      expect((await orderRow(t.db, id)).status).toBe('pending');
    });

    it('should never return a key in an answer', async () => {
      const { customer, id } = await openWechat('app');
      const res = await t.http.get(`${API}/orders/${id}`).set(customer.auth).expect(200);
      const text = JSON.stringify(res.body);
      for (const name of ['WECHATPAY_PRIVATE_KEY', 'WECHATPAY_APIV3_KEY', 'ALIPAY_PRIVATE_KEY']) {
        const secret = gateways.env[name].replace(/\\n/g, '\n').split('\n')[1] ?? gateways.env[name];
        expect(text).not.toContain(secret);
      }
    });
  });
});
