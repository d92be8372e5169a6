import { createVerify } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  generateWechatPayKeys,
  WechatNotificationMessage,
  WechatPayGateway,
  WechatPayTestKeys,
} from '../../../test/support/gateways/wechat-pay-gateway';
import { PaymentProviderRefused, PaymentProviderUnavailable } from '../payment-provider.errors';
import { WechatPayClient, WechatPaySettings } from './wechat-pay.client';

const keys: WechatPayTestKeys = generateWechatPayKeys();
let gateway: WechatPayGateway;
let client: WechatPayClient;
let settings: WechatPaySettings;
let serial = 0;

const outTradeNo = () => `T${Date.now()}${++serial}`;
const order = (no: string, amountCents = 3800) => ({
  outTradeNo: no,
  amountCents,
  description: 'TTMS 2 tickets',
  expiresAt: new Date('2026-12-07T22:15:30.500Z'),
  notifyUrl: 'https://cinema.example/api/v1/payments/wechat/notify',
});

async function paidTrade(amountCents = 3800): Promise<string> {
  const no = outTradeNo();
  await client.nativeOrder(order(no, amountCents));
  gateway.pay(no);
  return no;
}

const refundOf = (no: string, refundNo = `R${no}`) => ({
  outTradeNo: no,
  refundNo,
  amountCents: 3800,
  totalCents: 3800,
  reason: 'order refunded',
  notifyUrl: 'https://cinema.example/api/v1/payments/wechat/notify',
});

beforeAll(async () => {
  gateway = new WechatPayGateway(keys);
  const baseUrl = await gateway.start();
  settings = {
    mchId: keys.mchId,
    appId: keys.appId,
    certSerial: keys.certSerial,
    privateKey: keys.merchantPrivateKey.replace(/\n/g, '\\n'),
    apiV3Key: keys.apiV3Key,
    platformPublicKey: keys.platformPublicKey,
    platformKeyId: keys.platformKeyId,
    baseUrl,
    timeoutMs: 1000,
  };
  client = new WechatPayClient(settings);
});

afterAll(() => gateway.stop());

describe('WechatPayClient orders', () => {
  it('should open a Native trade with the amount in fen, CNY and time_expire in +08:00, and answer code_url', async () => {
    const no = outTradeNo();
    const { qrCode } = await client.nativeOrder(order(no));
    expect(qrCode).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(gateway.trade(no)).toMatchObject({
      tradeType: 'NATIVE',
      amountCents: 3800,
      currency: 'CNY',
      timeExpire: '2026-12-08T06:15:30+08:00',
      appId: keys.appId,
      mchId: keys.mchId,
      state: 'NOTPAY',
    });
  });

  it('should open an App trade and sign the app params with the merchant key', async () => {
    const no = outTradeNo();
    const { appParams } = await client.appOrder(order(no));
    expect(appParams).toMatchObject({
      appid: keys.appId,
      partnerid: keys.mchId,
      prepayid: gateway.trade(no)!.prepayId,
      package: 'Sign=WXPay',
    });
    const message = `${appParams.appid}\n${appParams.timestamp}\n${appParams.noncestr}\n${appParams.prepayid}\n`;
    expect(createVerify('RSA-SHA256').update(message).verify(keys.merchantPublicKey, appParams.sign, 'base64')).toBe(
      true,
    );
  });

  it('should not believe an answer whose signature does not match', async () => {
    gateway.tamperNextAnswer();
    const error = await client.nativeOrder(order(outTradeNo())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderUnavailable);
    expect((error as Error).message).toContain('unverifiable answer (HTTP 200)');
  });

  it('should be refused by the gateway when signing with another merchant key', async () => {
    const other = generateWechatPayKeys();
    const stranger = new WechatPayClient({ ...settings, privateKey: other.merchantPrivateKey });
    const error = await stranger.nativeOrder(order(outTradeNo())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderUnavailable);
    expect((error as Error).message).toContain('HTTP 401');
  });

  it('should not believe answers signed for another key id', async () => {
    const other = generateWechatPayKeys();
    const misconfigured = new WechatPayClient({ ...settings, platformKeyId: other.platformKeyId });
    await expect(misconfigured.query(outTradeNo())).rejects.toThrow(/unverifiable answer \(HTTP 404\)/);
  });

  it('should pass a signed refusal on with its code and message', async () => {
    gateway.failNext('/v3/pay/transactions/native', {
      status: 400,
      code: 'OUT_TRADE_NO_USED',
      message: '商户订单号重复',
    });
    const error = await client.nativeOrder(order(outTradeNo())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderRefused);
    expect(error).toMatchObject({ code: 'OUT_TRADE_NO_USED', reason: 'OUT_TRADE_NO_USED: 商户订单号重复' });
  });

  it('should throw PaymentProviderUnavailable on 5xx, when down, and after the timeout, without keys in the message', async () => {
    gateway.failNext('/v3/pay/transactions/native', { status: 500, code: 'SYSTEM_ERROR', message: '系统错误' });
    await expect(client.nativeOrder(order(outTradeNo()))).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    gateway.down();
    const down = await client.nativeOrder(order(outTradeNo())).catch((e: unknown) => e);
    gateway.up();
    expect(down).toBeInstanceOf(PaymentProviderUnavailable);
    expect((down as Error).message).toContain('network failure');
    gateway.delayNext(1500);
    const slow = await client.query(outTradeNo()).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(PaymentProviderUnavailable);
    expect((slow as Error).message).toContain('no answer within 1000 ms');
    for (const error of [down, slow] as Error[]) {
      expect(error.message).not.toContain(keys.apiV3Key);
      expect(error.message).not.toContain('PRIVATE KEY');
    }
  });
});

describe('WechatPayClient query and close', () => {
  it('should answer unpaid, paid with transaction id and amount, closed and not_found', async () => {
    const no = outTradeNo();
    await client.nativeOrder(order(no));
    await expect(client.query(no)).resolves.toEqual({ state: 'unpaid', amountCents: 3800 });
    gateway.pay(no);
    await expect(client.query(no)).resolves.toEqual({
      state: 'paid',
      transactionId: gateway.trade(no)!.transactionId,
      amountCents: 3800,
    });
    const closed = outTradeNo();
    await client.nativeOrder(order(closed));
    await client.close(closed);
    expect(gateway.trade(closed)!.state).toBe('CLOSED');
    await expect(client.query(closed)).resolves.toMatchObject({ state: 'closed' });
    await expect(client.query(outTradeNo())).resolves.toEqual({ state: 'not_found' });
  });

  it('should close a closed trade again without error, and be refused closing a paid one', async () => {
    const no = outTradeNo();
    await client.nativeOrder(order(no));
    await client.close(no);
    await expect(client.close(no)).resolves.toBeUndefined();
    await expect(client.close(await paidTrade())).rejects.toBeInstanceOf(PaymentProviderRefused);
  });
});

describe('WechatPayClient refunds', () => {
  it('should answer refunded on SUCCESS', async () => {
    const no = await paidTrade();
    await expect(client.refund(refundOf(no))).resolves.toEqual({ outcome: 'refunded' });
    expect(gateway.refundedCents(no)).toBe(3800);
  });

  it('should answer processing, then verify the refund notification', async () => {
    const no = await paidTrade();
    gateway.refundProcessing();
    await expect(client.refund(refundOf(no))).resolves.toEqual({ outcome: 'processing' });
    gateway.finishRefunds();
    const message = gateway.refundNotification(`R${no}`);
    expect(client.verifyNotification(message.headers, message.body)).toEqual({
      valid: true,
      kind: 'refund',
      eventType: 'REFUND.SUCCESS',
      outTradeNo: no,
      transactionId: gateway.trade(no)!.transactionId,
      outRefundNo: `R${no}`,
      refundId: gateway.refund(`R${no}`)!.refundId,
      amountCents: 3800,
      mchId: keys.mchId,
      refundStatus: 'SUCCESS',
    });
  });

  it('should pass a refusal reason on', async () => {
    const no = await paidTrade();
    gateway.failNext('/v3/refund/domestic/refunds', { status: 403, code: 'NOT_ENOUGH', message: '基本账户余额不足' });
    await expect(client.refund(refundOf(no))).resolves.toEqual({
      outcome: 'refused',
      reason: 'NOT_ENOUGH: 基本账户余额不足',
    });
    expect(gateway.refundedCents(no)).toBe(0);
  });

  it('should throw PaymentProviderUnavailable when the gateway is down', async () => {
    const no = await paidTrade();
    gateway.down();
    const outcome = client.refund(refundOf(no));
    await expect(outcome).rejects.toBeInstanceOf(PaymentProviderUnavailable);
    gateway.up();
    expect(gateway.refundedCents(no)).toBe(0);
  });

  it('should refund once when the same refund number is asked again', async () => {
    const no = await paidTrade();
    await expect(client.refund(refundOf(no))).resolves.toEqual({ outcome: 'refunded' });
    await expect(client.refund(refundOf(no))).resolves.toEqual({ outcome: 'refunded' });
    expect(gateway.refundedCents(no)).toBe(3800);
    const again = gateway.requests.filter((request) => request.url === '/v3/refund/domestic/refunds').slice(-2);
    expect(JSON.parse(again[0].body).out_refund_no).toBe(JSON.parse(again[1].body).out_refund_no);
    expect(JSON.parse(again[0].body).amount).toEqual({ refund: 3800, total: 3800, currency: 'CNY' });
  });
});

describe('WechatPayClient notifications', () => {
  let receiver: Server;
  let notifyUrl: string;

  beforeAll(async () => {
    // Stands in for the app's notify endpoint: 204 when verified, 400 { code: FAIL } otherwise.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const verdict = client.verifyNotification(req.headers, Buffer.concat(chunks).toString('utf8'));
        if (verdict.valid) return void res.writeHead(204).end();
        res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"code":"FAIL","message":"bad signature"}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
  });

  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('should verify and decrypt a payment notification', async () => {
    const no = outTradeNo();
    await client.appOrder(order(no, 4500));
    const message = gateway.pay(no);
    expect(client.verifyNotification(message.headers, message.body)).toEqual({
      valid: true,
      kind: 'payment',
      eventType: 'TRANSACTION.SUCCESS',
      outTradeNo: no,
      transactionId: gateway.trade(no)!.transactionId,
      amountCents: 4500,
      appId: keys.appId,
      mchId: keys.mchId,
      tradeState: 'SUCCESS',
    });
    await expect(gateway.notify(notifyUrl, message)).resolves.toEqual({ status: 204, body: '' });
  });

  it('should answer valid:false, without throwing, for tampered, foreign, replayed or garbage notifications', async () => {
    const message = gateway.pay(await paidTrade());
    const tampered = { ...message, body: message.body.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS ') };
    const foreignKeyId = { ...message, headers: { ...message.headers, 'Wechatpay-Serial': 'PUB_KEY_ID_0000' } };
    const replayed: WechatNotificationMessage = {
      body: message.body,
      headers: gateway.signedHeaders(message.body, Math.floor(Date.now() / 1000) - 360),
    };
    for (const bad of [tampered, foreignKeyId, replayed]) {
      expect(client.verifyNotification(bad.headers, bad.body)).toEqual({ valid: false });
    }
    await expect(gateway.notify(notifyUrl, replayed)).resolves.toMatchObject({ status: 400 });
    for (const [headers, body] of [
      [{}, ''],
      [{ 'wechatpay-signature': 'x' }, '{'],
      [null, null],
      [{ 'wechatpay-timestamp': ['1', '2'] }, 'garbage'],
    ] as const) {
      expect(client.verifyNotification(headers as never, body as never)).toEqual({ valid: false });
    }
  });

  it('should answer valid:false for a signed notification whose resource is not for our APIv3 key', () => {
    const body = JSON.stringify({
      event_type: 'TRANSACTION.SUCCESS',
      resource: new WechatPayGateway(generateWechatPayKeys()).encryptResource({ out_trade_no: 'X' }, 'transaction'),
    });
    expect(client.verifyNotification(gateway.signedHeaders(body), body)).toEqual({ valid: false });
    const signedGarbage = 'not json at all';
    expect(client.verifyNotification(gateway.signedHeaders(signedGarbage), signedGarbage)).toEqual({ valid: false });
  });
});
