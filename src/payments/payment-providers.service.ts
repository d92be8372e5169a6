import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.validation';
import { enabledChannels, type PaymentChannelName, type PaymentMethod } from '../config/payment-settings';
import type { AlipayClient } from './alipay/alipay.client';
import { PaymentProviderUnavailable } from './payment-provider.errors';
import { WechatPayClient } from './wechat/wechat-pay.client';
import type { HeaderBag } from './wechat/wechat-pay.crypto';

export type { HeaderBag };

export type ProviderChannel = Exclude<PaymentChannelName, 'mock'>;

export interface ProviderTrade {
  outTradeNo: string;
  amountCents: number;
  subject: string;
  expiresAt: Date;
}

export type TradeState =
  { state: 'paid'; providerTradeNo: string; amountCents: number } | { state: 'unpaid' | 'closed' | 'not_found' };

export type RefundOutcome = { outcome: 'refunded' | 'processing' } | { outcome: 'refused'; reason: string };

/** A notification after its signature and sender were checked; what it says is still to be matched to a payment. */
export type ProviderNotice =
  | { kind: 'invalid'; why: string }
  /** Paid (Alipay TRADE_SUCCESS or TRADE_FINISHED, WeChat Pay TRANSACTION.SUCCESS). */
  | { kind: 'paid'; outTradeNo: string; providerTradeNo: string; amountCents: number }
  /** A state nothing is done about (a closed trade, say): acknowledged so that it is not sent again. */
  | { kind: 'other'; outTradeNo: string; state: string }
  | { kind: 'refund'; refundNo: string; outcome: RefundOutcome };

const TIMEOUT_MS = 10_000;
const ALIPAY_PAID = ['TRADE_SUCCESS', 'TRADE_FINISHED'];

/**
 * Alipay and WeChat Pay behind one shape, for the enabled channels only. Throws PaymentProviderUnavailable
 * (nothing known to have changed, ask again) or PaymentProviderRefused (a signed no).
 */
@Injectable()
export class PaymentProvidersService implements OnModuleInit {
  private alipay?: AlipayClient;
  private readonly alipaySettings?: ConstructorParameters<typeof AlipayClient>[0];
  private readonly wechat?: WechatPayClient;
  private readonly alipayAppId: string;
  private readonly wechatIds: { appId: string; mchId: string };
  private readonly notifyBase: string;

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    const env = (name: keyof EnvironmentVariables) => String(config.get(name, { infer: true }) ?? '');
    const enabled = enabledChannels({ NODE_ENV: env('NODE_ENV'), PAYMENT_CHANNELS: config.get('PAYMENT_CHANNELS') });
    this.notifyBase = `${env('PUBLIC_BASE_URL')}/api/v1/payments`;
    this.alipayAppId = env('ALIPAY_APP_ID');
    this.wechatIds = { appId: env('WECHATPAY_APP_ID'), mchId: env('WECHATPAY_MCH_ID') };
    if (enabled.includes('alipay')) {
      this.alipaySettings = {
        appId: this.alipayAppId,
        privateKey: env('ALIPAY_PRIVATE_KEY'),
        alipayPublicKey: env('ALIPAY_PUBLIC_KEY'),
        gateway: env('ALIPAY_GATEWAY'),
        timeoutMs: TIMEOUT_MS,
      };
    }
    if (enabled.includes('wechat')) {
      this.wechat = new WechatPayClient({
        ...this.wechatIds,
        certSerial: env('WECHATPAY_CERT_SERIAL'),
        privateKey: env('WECHATPAY_PRIVATE_KEY'),
        apiV3Key: env('WECHATPAY_APIV3_KEY'),
        platformPublicKey: env('WECHATPAY_PLATFORM_PUBLIC_KEY'),
        platformKeyId: env('WECHATPAY_PLATFORM_KEY_ID'),
        baseUrl: env('WECHATPAY_BASE_URL'),
        timeoutMs: TIMEOUT_MS,
      });
    }
  }

  /** alipay-sdk and its HTTP stack take about 30 MB of memory: loaded only where Alipay is enabled. */
  async onModuleInit(): Promise<void> {
    if (!this.alipaySettings) return;
    const { AlipayClient } = await import('./alipay/alipay.client');
    this.alipay = new AlipayClient(this.alipaySettings);
  }

  /** The trade at the provider: a code to scan (`qr`) or what the provider's app SDK takes (`app`). */
  async open(
    channel: ProviderChannel,
    method: PaymentMethod,
    trade: ProviderTrade,
  ): Promise<{ qrCode: string | null; appParams: unknown }> {
    if (channel === 'alipay') {
      const order = { ...trade, notifyUrl: `${this.notifyBase}/alipay/notify` };
      const alipay = this.alipayClient();
      if (method === 'app') return { qrCode: null, appParams: alipay.appOrderString(order) };
      return { qrCode: (await alipay.precreate(order)).qrCode, appParams: null };
    }
    const order = { ...trade, description: trade.subject, notifyUrl: `${this.notifyBase}/wechat/notify` };
    const wechat = this.wechatClient();
    if (method === 'app') return { qrCode: null, appParams: (await wechat.appOrder(order)).appParams };
    return { qrCode: (await wechat.nativeOrder(order)).qrCode, appParams: null };
  }

  async query(channel: ProviderChannel, outTradeNo: string): Promise<TradeState> {
    if (channel === 'alipay') {
      const trade = await this.alipayClient().query(outTradeNo);
      if (trade.state !== 'paid') return { state: trade.state };
      return { state: 'paid', providerTradeNo: trade.tradeNo, amountCents: trade.amountCents };
    }
    const trade = await this.wechatClient().query(outTradeNo);
    if (trade.state !== 'paid') return { state: trade.state };
    return { state: 'paid', providerTradeNo: trade.transactionId, amountCents: trade.amountCents };
  }

  /** Closing a trade that is closed or was never created is no error. */
  async close(channel: ProviderChannel, outTradeNo: string): Promise<void> {
    if (channel === 'alipay') return this.alipayClient().close(outTradeNo);
    try {
      await this.wechatClient().close(outTradeNo);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ORDER_NOT_EXIST') return;
      throw error;
    }
  }

  /** A full refund under `refundNo`: asked again with the same number, the provider moves no more money. */
  refund(
    channel: ProviderChannel,
    refund: { outTradeNo: string; refundNo: string; amountCents: number; reason: string },
  ): Promise<RefundOutcome> {
    if (channel === 'alipay') return this.alipayClient().refund(refund);
    return this.wechatClient().refund({
      ...refund,
      totalCents: refund.amountCents,
      notifyUrl: `${this.notifyBase}/wechat/notify`,
    });
  }

  /** Where an unconfirmed refund stands: WeChat Pay is asked; Alipay answers a repeated refund with its result. */
  refundStatus(
    channel: ProviderChannel,
    refund: { outTradeNo: string; refundNo: string; amountCents: number; reason: string },
  ): Promise<RefundOutcome> {
    if (channel === 'alipay') return this.refund(channel, refund);
    return this.wechatClient().refundQuery(refund.refundNo);
  }

  /** An Alipay notification form: signed by Alipay's key, and for this app. */
  alipayNotice(form: Record<string, string>): ProviderNotice {
    if (!this.alipay) return { kind: 'invalid', why: 'alipay is not enabled' };
    const notice = this.alipay.verifyNotification(form);
    if (!notice.valid) return { kind: 'invalid', why: 'signature does not verify' };
    if (notice.appId !== this.alipayAppId) return { kind: 'invalid', why: `app_id ${notice.appId} is not this app's` };
    const outTradeNo = notice.outTradeNo!;
    if (!ALIPAY_PAID.includes(notice.status ?? '')) return { kind: 'other', outTradeNo, state: String(notice.status) };
    if (!notice.tradeNo) return { kind: 'invalid', why: 'paid without trade_no' };
    return { kind: 'paid', outTradeNo, providerTradeNo: notice.tradeNo, amountCents: notice.amountCents! };
  }

  /** A WeChat Pay notification: headers signed with the platform key, resource decrypted, for this merchant. */
  wechatNotice(headers: HeaderBag, rawBody: string): ProviderNotice {
    if (!this.wechat) return { kind: 'invalid', why: 'wechat is not enabled' };
    const notice = this.wechat.verifyNotification(headers, rawBody);
    if (!notice.valid) return { kind: 'invalid', why: 'signature or resource does not verify' };
    if (notice.mchId !== this.wechatIds.mchId) return { kind: 'invalid', why: `mchid ${notice.mchId} is not ours` };
    if (notice.kind === 'refund') {
      const outcome: RefundOutcome =
        notice.refundStatus === 'SUCCESS'
          ? { outcome: 'refunded' }
          : { outcome: 'refused', reason: `${notice.refundStatus}: the refund did not complete` };
      return { kind: 'refund', refundNo: notice.outRefundNo, outcome };
    }
    if (notice.appId !== this.wechatIds.appId) return { kind: 'invalid', why: `appid ${notice.appId} is not ours` };
    if (notice.tradeState !== 'SUCCESS') {
      return { kind: 'other', outTradeNo: notice.outTradeNo, state: notice.tradeState };
    }
    return {
      kind: 'paid',
      outTradeNo: notice.outTradeNo,
      providerTradeNo: notice.transactionId,
      amountCents: notice.amountCents,
    };
  }

  private alipayClient(): AlipayClient {
    if (!this.alipay) throw new PaymentProviderUnavailable('Alipay', 'not enabled');
    return this.alipay;
  }

  private wechatClient(): WechatPayClient {
    if (!this.wechat) throw new PaymentProviderUnavailable('WeChat Pay', 'not enabled');
    return this.wechat;
  }
}
