import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { Payment } from '../../src/payments/entities/payment.entity';
import { PaymentRefund } from '../../src/payments/entities/payment-refund.entity';
import { AlipayGateway, alipayTestKeys } from './gateways/alipay-gateway';
import { generateWechatPayKeys, WechatNotificationMessage, WechatPayGateway } from './gateways/wechat-pay-gateway';
import { API } from './ticketing';

export const ALIPAY_APP_ID = '2021000000000001';

/** A local Alipay gateway and WeChat Pay API with fresh keys, and the settings that point the app at them. */
export interface ProviderGateways {
  alipay: AlipayGateway;
  wechat: WechatPayGateway;
  /** PAYMENT_CHANNELS, PUBLIC_BASE_URL and every provider setting, for bootTestApp or spawned apps. */
  env: Record<string, string>;
  stop: () => Promise<void>;
}

export async function startProviderGateways(): Promise<ProviderGateways> {
  const alipayKeys = alipayTestKeys();
  const alipay = await AlipayGateway.start({
    appId: ALIPAY_APP_ID,
    appPublicKey: alipayKeys.app.publicKey,
    gatewayPrivateKey: alipayKeys.gateway.privateKey,
  });
  const wechatKeys = generateWechatPayKeys();
  const wechat = new WechatPayGateway(wechatKeys);
  await wechat.start();
  // One-line PEMs, as a container setting would carry them.
  const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');
  const env = {
    PAYMENT_CHANNELS: 'mock,alipay,wechat',
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    ALIPAY_APP_ID,
    ALIPAY_PRIVATE_KEY: oneLine(alipayKeys.app.privateKey),
    ALIPAY_PUBLIC_KEY: oneLine(alipayKeys.gateway.publicKey),
    ALIPAY_GATEWAY: alipay.url,
    WECHATPAY_MCH_ID: wechatKeys.mchId,
    WECHATPAY_APP_ID: wechatKeys.appId,
    WECHATPAY_CERT_SERIAL: wechatKeys.certSerial,
    WECHATPAY_PRIVATE_KEY: oneLine(wechatKeys.merchantPrivateKey),
    WECHATPAY_APIV3_KEY: wechatKeys.apiV3Key,
    WECHATPAY_PLATFORM_PUBLIC_KEY: oneLine(wechatKeys.platformPublicKey),
    WECHATPAY_PLATFORM_KEY_ID: wechatKeys.platformKeyId,
    WECHATPAY_BASE_URL: wechat.baseUrl,
  };
  return {
    alipay,
    wechat,
    env,
    stop: async () => {
      await Promise.all([alipay.stop(), wechat.stop()]);
    },
  };
}

/** Posts an Alipay notification form as Alipay does; answers the status and the plain-text answer. */
export async function alipayNotify(
  http: TestAgent,
  form: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await http.post(`${API}/payments/alipay/notify`).type('form').send(form);
  return { status: res.status, text: res.text };
}

/** Posts a WeChat Pay notification with its signed headers; answers the status and the body. */
export async function wechatNotify(
  http: TestAgent,
  message: WechatNotificationMessage,
): Promise<{ status: number; body: unknown }> {
  const res = await http
    .post(`${API}/payments/wechat/notify`)
    .set(message.headers)
    .set('Content-Type', 'application/json')
    .send(message.body);
  return { status: res.status, body: res.body };
}

export function paymentsOf(db: DataSource, orderId: number): Promise<Payment[]> {
  return db.getRepository(Payment).find({ where: { orderId }, order: { id: 'ASC' } });
}

export function refundOf(db: DataSource, paymentId: number): Promise<PaymentRefund | null> {
  return db.getRepository(PaymentRefund).findOneBy({ paymentId });
}

/** As `lapse` does for the order: its open payment attempts' expiry moves into the past too. */
export async function lapsePayments(db: DataSource, orderId: number, agoMs = 1000): Promise<void> {
  await db.getRepository(Payment).update({ orderId }, { expiresAt: new Date(Date.now() - agoMs) });
}

/** Waits until `check` holds (follow-ups run after the answer: a refund sent, an attempt closed). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
