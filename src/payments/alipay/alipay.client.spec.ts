import { createPrivateKey, createVerify } from 'node:crypto';
import { AlipayGateway, alipayTestKeys, rsaKeyPair, signContent } from '../../../test/support/gateways/alipay-gateway';
import { PaymentProviderUnavailable } from '../payment-provider.errors';
import { pemFromEnv } from '../../config/payment-settings';
import { AlipayClient, centsFromYuan, shanghaiTime, yuanFromCents } from './alipay.client';

const APP_ID = '2021000000000001';
const keys = alipayTestKeys();

describe('AlipayClient against a local Alipay gateway', () => {
  let gateway: AlipayGateway;
  let client: AlipayClient;
  let tradeSeq = 0;
  const expiresAt = new Date('2026-12-07T12:15:30.750Z');
  const order = (amountCents = 8850) => ({
    outTradeNo: `P${Date.now()}${++tradeSeq}`,
    amountCents,
    subject: 'TTMS tickets',
    expiresAt,
    notifyUrl: 'https://ttms.example.com/api/v1/payments/alipay/notify',
  });
  const openTrade = async (amountCents?: number) => {
    const o = order(amountCents);
    await client.precreate(o);
    return o;
  };

  beforeAll(async () => {
    gateway = await AlipayGateway.start({
      appId: APP_ID,
      appPublicKey: keys.app.publicKey,
      gatewayPrivateKey: keys.gateway.privateKey,
    });
    client = new AlipayClient({
      appId: APP_ID,
      privateKey: keys.app.privateKey,
      alipayPublicKey: keys.gateway.publicKey,
      gateway: gateway.url,
      timeoutMs: 1500,
    });
  });
  afterAll(() => gateway.stop());
  afterEach(() => gateway.up());

  it('precreates a QR trade with the amount in yuan and time_expire in China time, to the second', async () => {
    const o = order(8850);
    const { qrCode } = await client.precreate(o);
    expect(qrCode).toMatch(/^https:\/\/qr\.alipay\.com\//);
    expect(gateway.trade(o.outTradeNo)).toMatchObject({
      status: 'WAIT_BUYER_PAY',
      amountCents: 8850,
      subject: 'TTMS tickets',
      timeExpire: '2026-12-07 20:15:30',
      notifyUrl: o.notifyUrl,
    });
    expect(gateway.calls.at(-1)?.bizContent.total_amount).toBe('88.50');
  });

  it.each(['body', 'unsigned'] as const)('refuses a gateway answer whose signature does not hold (%s)', async (how) => {
    gateway.tamperNext(how);
    await expect(client.precreate(order())).rejects.toBeInstanceOf(PaymentProviderUnavailable);
  });

  it('refuses an answer signed with another key than Alipay’s, without showing a key', async () => {
    const other = new AlipayClient({
      appId: APP_ID,
      privateKey: keys.app.privateKey,
      alipayPublicKey: rsaKeyPair().publicKey,
      gateway: gateway.url,
      timeoutMs: 1500,
    });
    const failure = await other.query('nothing').catch((e: Error) => e);
    expect(failure).toBeInstanceOf(PaymentProviderUnavailable);
    expect((failure as Error).message).not.toMatch(/PRIVATE|PUBLIC|MII/);
  });

  it('is rejected by the gateway when it signs with a key Alipay does not know (isv.invalid-signature)', async () => {
    const stranger = new AlipayClient({
      appId: APP_ID,
      privateKey: rsaKeyPair().privateKey,
      alipayPublicKey: keys.gateway.publicKey,
      gateway: gateway.url,
      timeoutMs: 1500,
    });
    await expect(stranger.precreate(order())).rejects.toThrow(/isv\.invalid-signature/);
  });

  it('queries unpaid, paid and unknown trades', async () => {
    const o = await openTrade(1234);
    expect(await client.query(o.outTradeNo)).toEqual({
      state: 'unpaid',
      tradeNo: gateway.trade(o.outTradeNo)?.tradeNo,
      amountCents: 1234,
    });
    gateway.pay(o.outTradeNo);
    expect(await client.query(o.outTradeNo)).toEqual({
      state: 'paid',
      tradeNo: gateway.trade(o.outTradeNo)?.tradeNo,
      amountCents: 1234,
    });
    expect(await client.query('never-opened')).toEqual({ state: 'not_found' });
  });

  it('closes an unpaid trade, and counts a trade Alipay does not know as closed', async () => {
    const o = await openTrade();
    await client.close(o.outTradeNo);
    expect(gateway.trade(o.outTradeNo)?.status).toBe('TRADE_CLOSED');
    expect(await client.query(o.outTradeNo)).toMatchObject({ state: 'closed' });
    await expect(client.close('never-opened')).resolves.toBeUndefined();
  });

  it('refunds once per refund number, however often it is asked', async () => {
    const o = await openTrade(4000);
    gateway.pay(o.outTradeNo);
    const refund = {
      outTradeNo: o.outTradeNo,
      refundNo: `R-${o.outTradeNo}`,
      amountCents: 4000,
      reason: 'order refund',
    };
    expect(await client.refund(refund)).toEqual({ outcome: 'refunded' });
    expect(await client.refund(refund)).toEqual({ outcome: 'refunded' });
    expect(gateway.trade(o.outTradeNo)?.refunds).toEqual([{ refundNo: refund.refundNo, amountCents: 4000 }]);
    expect(gateway.calls.filter((c) => c.method === 'alipay.trade.refund').at(-1)?.bizContent).toMatchObject({
      out_request_no: refund.refundNo,
      refund_amount: '40.00',
    });
  });

  it('passes on the provider’s reason when a refund is refused', async () => {
    const o = await openTrade();
    gateway.pay(o.outTradeNo);
    gateway.failNext('alipay.trade.refund', { subCode: 'ACQ.SELLER_BALANCE_NOT_ENOUGH', subMsg: '卖家余额不足' });
    const outcome = await client.refund({ outTradeNo: o.outTradeNo, refundNo: 'R1', amountCents: 8850, reason: 'x' });
    expect(outcome).toEqual({ outcome: 'refused', reason: '卖家余额不足' });
    expect(gateway.trade(o.outTradeNo)?.refunds).toEqual([]);
  });

  it('treats Alipay’s system error as unavailable, not as a refusal', async () => {
    gateway.failNext('alipay.trade.query', { subCode: 'ACQ.SYSTEM_ERROR', subMsg: '系统错误' });
    await expect(client.query('x')).rejects.toBeInstanceOf(PaymentProviderUnavailable);
  });

  it('throws PaymentProviderUnavailable when the gateway is down or too slow', async () => {
    const o = await openTrade();
    gateway.pay(o.outTradeNo);
    await gateway.down();
    const refund = { outTradeNo: o.outTradeNo, refundNo: 'R2', amountCents: 8850, reason: 'x' };
    await expect(client.refund(refund)).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    await gateway.up();
    gateway.stallNext(2500);
    await expect(client.query(o.outTradeNo)).rejects.toThrow(PaymentProviderUnavailable);
    expect(gateway.trade(o.outTradeNo)?.refunds).toEqual([]);
  });

  describe('notifications', () => {
    it('accepts the gateway’s signed notification and reads it', async () => {
      const o = await openTrade(2599);
      const form = gateway.pay(o.outTradeNo);
      expect(client.verifyNotification(form)).toEqual({
        valid: true,
        appId: APP_ID,
        outTradeNo: o.outTradeNo,
        tradeNo: gateway.trade(o.outTradeNo)?.tradeNo,
        amountCents: 2599,
        status: 'TRADE_SUCCESS',
      });
    });

    it('rejects a tampered amount, another key’s signature, and an RSA (SHA-1) downgrade', async () => {
      const o = await openTrade(2599);
      const form = gateway.pay(o.outTradeNo);
      expect(client.verifyNotification({ ...form, total_amount: '0.01' })).toMatchObject({
        valid: false,
        amountCents: 1,
      });
      const forged = gateway.signNotification({ ...form, total_amount: '0.01' }, rsaKeyPair().privateKey);
      expect(client.verifyNotification(forged).valid).toBe(false);
      expect(client.verifyNotification({ ...form, sign_type: 'RSA' }).valid).toBe(false);
    });

    it('answers valid:false on garbage, never throwing', () => {
      const garbage: unknown[] = [
        {},
        { sign: '%%%', sign_type: 'RSA2', total_amount: '%E4' },
        { sign: 'abc', sign_type: 'nonsense' },
        { sign: ['a'], out_trade_no: { x: 1 } },
        null,
        'app_id=1',
      ];
      for (const form of garbage) {
        expect(client.verifyNotification(form as Record<string, string>).valid).toBe(false);
      }
    });
  });

  it('signs the app order string with the app key, as the mobile SDK sends it', () => {
    const o = order(100);
    const orderString = client.appOrderString(o);
    const fields = Object.fromEntries(new URLSearchParams(orderString));
    expect(fields).toMatchObject({
      method: 'alipay.trade.app.pay',
      app_id: APP_ID,
      sign_type: 'RSA2',
      notify_url: o.notifyUrl,
    });
    expect(JSON.parse(fields.biz_content)).toEqual({
      out_trade_no: o.outTradeNo,
      total_amount: '1.00',
      subject: 'TTMS tickets',
      time_expire: '2026-12-07 20:15:30',
      product_code: 'QUICK_MSECURITY_PAY',
    });
    const verified = createVerify('RSA-SHA256')
      .update(signContent(fields, ['sign']))
      .verify(keys.app.publicKey, fields.sign, 'base64');
    expect(verified).toBe(true);
  });
});

describe('Alipay settings and amounts', () => {
  it('reads PEMs from the environment with literal \\n, PKCS#1 or PKCS#8 or bare base64', async () => {
    const pkcs1 = createPrivateKey(keys.app.privateKey).export({ format: 'pem', type: 'pkcs1' }).toString();
    const bare = keys.gateway.publicKey.replace(/-----[A-Z ]+-----|\n/g, '');
    expect(pemFromEnv('-----BEGIN X-----\\nAAA\\n-----END X-----\\n')).toBe('-----BEGIN X-----\nAAA\n-----END X-----');
    const gateway = await AlipayGateway.start({
      appId: APP_ID,
      appPublicKey: keys.app.publicKey,
      gatewayPrivateKey: keys.gateway.privateKey,
    });
    try {
      for (const privateKey of [pkcs1.replace(/\n/g, '\\n'), keys.app.privateKey.replace(/\n/g, '\\n')]) {
        const client = new AlipayClient({
          appId: APP_ID,
          privateKey,
          alipayPublicKey: bare,
          gateway: gateway.url,
          timeoutMs: 1500,
        });
        await expect(client.query('none')).resolves.toEqual({ state: 'not_found' });
      }
    } finally {
      await gateway.stop();
    }
    expect(
      () =>
        new AlipayClient({
          appId: APP_ID,
          privateKey: 'secret-garbage',
          alipayPublicKey: bare,
          gateway: 'http://x',
          timeoutMs: 1,
        }),
    ).toThrow(/^Alipay app private key is not an RSA private key$/);
  });

  it('converts amounts and times exactly', () => {
    expect([1, 10, 100, 8850, 123456789].map(yuanFromCents)).toEqual(['0.01', '0.10', '1.00', '88.50', '1234567.89']);
    expect(() => yuanFromCents(0.5)).toThrow(RangeError);
    expect(['0.01', '88.5', '88.50', '100', '1.234', '-1', '1e3', ''].map(centsFromYuan)).toEqual([
      1,
      8850,
      8850,
      10000,
      null,
      null,
      null,
      null,
    ]);
    expect(shanghaiTime(new Date('2026-12-31T16:00:00.999Z'))).toBe('2027-01-01 00:00:00');
  });
});
