import { pemFromEnv } from '../../config/payment-settings';
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { PaymentProviderRefused, PaymentProviderUnavailable } from '../payment-provider.errors';
import {
  appPayParams,
  authorizationHeader,
  beijingTime,
  decryptResource,
  EncryptedResource,
  HeaderBag,
  verifySignature,
  WechatAppPayParams,
} from './wechat-pay.crypto';

export interface WechatPaySettings {
  mchId: string;
  appId: string;
  /** Serial number of the merchant API certificate. */
  certSerial: string;
  /** The merchant's private key, PEM (literal `\n` accepted). */
  privateKey: string;
  /** 32 characters: decrypts notifications. */
  apiV3Key: string;
  /** WeChat Pay's public key, PEM (literal `\n` accepted). */
  platformPublicKey: string;
  /** `PUB_KEY_ID_...`: what Wechatpay-Serial carries on every answer and notification. */
  platformKeyId: string;
  baseUrl: string;
  timeoutMs: number;
}

export interface WechatOrderRequest {
  outTradeNo: string;
  amountCents: number;
  description: string;
  expiresAt: Date;
  notifyUrl: string;
}

export type WechatTradeState =
  | { state: 'paid'; transactionId: string; amountCents: number }
  | { state: 'unpaid' | 'closed'; amountCents?: number }
  | { state: 'not_found' };

export interface WechatRefundRequest {
  outTradeNo: string;
  /** `out_refund_no`: fixed per order, so a retry finds the same refund instead of making a second one. */
  refundNo: string;
  amountCents: number;
  totalCents: number;
  reason: string;
  notifyUrl: string;
}

export type WechatRefundOutcome =
  { outcome: 'refunded' } | { outcome: 'processing' } | { outcome: 'refused'; reason: string };

export type WechatNotification =
  | { valid: false }
  | {
      valid: true;
      kind: 'payment';
      eventType: string;
      outTradeNo: string;
      transactionId: string;
      amountCents: number;
      appId: string;
      mchId: string;
      tradeState: string;
    }
  | {
      valid: true;
      kind: 'refund';
      eventType: string;
      outTradeNo: string;
      transactionId: string;
      outRefundNo: string;
      refundId: string;
      /** The refunded amount. */
      amountCents: number;
      mchId: string;
      refundStatus: string;
    };

/** The fields read from WeChat Pay's JSON answers, unknown until checked. */
interface WireAnswer {
  code?: unknown;
  message?: unknown;
  code_url?: unknown;
  prepay_id?: unknown;
  trade_state?: unknown;
  transaction_id?: unknown;
  status?: unknown;
  amount?: { total?: unknown };
}

interface Answer {
  status: number;
  data: WireAnswer;
}

const PROVIDER = 'WeChat Pay';

/** trade_state → what the app needs to know (REFUND: it was paid; the refund is tracked on its own). */
const TRADE_STATES: Record<string, 'paid' | 'unpaid' | 'closed'> = {
  SUCCESS: 'paid',
  REFUND: 'paid',
  NOTPAY: 'unpaid',
  USERPAYING: 'unpaid',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'closed',
};

/**
 * WeChat Pay API v3 for a direct merchant, public-key mode: Native and App orders, query, close, domestic
 * refunds and notifications. Every answer is checked against the platform public key before it is believed;
 * what cannot be asked or believed is PaymentProviderUnavailable, a signed "no" is PaymentProviderRefused.
 */
export class WechatPayClient {
  private readonly privateKey: KeyObject;
  private readonly platformPublicKey: KeyObject;
  private readonly baseUrl: string;

  constructor(private readonly settings: WechatPaySettings) {
    this.privateKey = createPrivateKey(pemFromEnv(settings.privateKey));
    this.platformPublicKey = createPublicKey(pemFromEnv(settings.platformPublicKey));
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
  }

  async nativeOrder(order: WechatOrderRequest): Promise<{ qrCode: string }> {
    const { data } = await this.create('/v3/pay/transactions/native', order);
    if (typeof data.code_url !== 'string') throw this.unavailable('native order answer without code_url');
    return { qrCode: data.code_url };
  }

  async appOrder(order: WechatOrderRequest): Promise<{ appParams: WechatAppPayParams }> {
    const { data } = await this.create('/v3/pay/transactions/app', order);
    if (typeof data.prepay_id !== 'string') throw this.unavailable('app order answer without prepay_id');
    const { appId, mchId } = this.settings;
    return { appParams: appPayParams({ appId, mchId, prepayId: data.prepay_id, privateKey: this.privateKey }) };
  }

  async query(outTradeNo: string): Promise<WechatTradeState> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(this.settings.mchId)}`;
    const answer = await this.call('GET', path);
    if (answer.status === 404 && answer.data.code === 'ORDER_NOT_EXIST') return { state: 'not_found' };
    this.refuseUnlessOk(answer);
    const state = TRADE_STATES[String(answer.data.trade_state)];
    if (!state) throw this.unavailable(`unknown trade_state ${String(answer.data.trade_state)}`);
    const total = answer.data.amount?.total;
    const amountCents = Number.isInteger(total) ? (total as number) : undefined;
    if (state === 'paid') {
      if (typeof answer.data.transaction_id !== 'string' || amountCents === undefined) {
        throw this.unavailable('paid trade without transaction_id or amount');
      }
      return { state, transactionId: answer.data.transaction_id, amountCents };
    }
    return { state, amountCents };
  }

  /** Closing a closed trade is no error: the sweep and a cancel may both ask. */
  async close(outTradeNo: string): Promise<void> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`;
    const answer = await this.call('POST', path, { mchid: this.settings.mchId });
    if (answer.data.code === 'ORDER_CLOSED') return;
    this.refuseUnlessOk(answer);
  }

  async refund(refund: WechatRefundRequest): Promise<WechatRefundOutcome> {
    const answer = await this.call('POST', '/v3/refund/domestic/refunds', {
      out_trade_no: refund.outTradeNo,
      out_refund_no: refund.refundNo,
      reason: refund.reason,
      notify_url: refund.notifyUrl,
      amount: { refund: refund.amountCents, total: refund.totalCents, currency: 'CNY' },
    });
    if (answer.status >= 400) return { outcome: 'refused', reason: this.reasonOf(answer) };
    return this.refundOutcome(answer);
  }

  /** Where a refund stands, by its `out_refund_no` (a PROCESSING one whose notification never came). */
  async refundQuery(refundNo: string): Promise<WechatRefundOutcome> {
    const answer = await this.call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(refundNo)}`);
    this.refuseUnlessOk(answer);
    return this.refundOutcome(answer);
  }

  private refundOutcome(answer: Answer): WechatRefundOutcome {
    switch (answer.data.status) {
      case 'SUCCESS':
        return { outcome: 'refunded' };
      case 'PROCESSING':
        return { outcome: 'processing' };
      case 'ABNORMAL':
        return { outcome: 'refused', reason: 'ABNORMAL: the refund could not reach the payer' };
      case 'CLOSED':
        return { outcome: 'refused', reason: 'CLOSED: the refund was closed' };
      default:
        throw this.unavailable(`unknown refund status ${String(answer.data.status)}`);
    }
  }

  /**
   * A notification as received (headers and the raw body): verified with the platform public key, then its
   * resource decrypted with the APIv3 key. Anything else, garbage included, is `{ valid: false }`, never a throw.
   */
  verifyNotification(headers: HeaderBag, rawBody: string): WechatNotification {
    const { platformKeyId, apiV3Key } = this.settings;
    if (!verifySignature({ headers, body: rawBody, platformPublicKey: this.platformPublicKey, platformKeyId })) {
      return { valid: false };
    }
    try {
      const envelope = JSON.parse(rawBody);
      const plain = decryptResource(envelope?.resource as EncryptedResource, apiV3Key);
      if (plain === null) return { valid: false };
      const fields = JSON.parse(plain);
      const eventType = String(envelope.event_type);
      if (eventType.startsWith('TRANSACTION.')) {
        const result = {
          valid: true as const,
          kind: 'payment' as const,
          eventType,
          outTradeNo: fields.out_trade_no,
          transactionId: fields.transaction_id,
          amountCents: fields.amount?.total,
          appId: fields.appid,
          mchId: fields.mchid,
          tradeState: fields.trade_state,
        };
        return this.wellTyped(result) ? result : { valid: false };
      }
      if (eventType.startsWith('REFUND.')) {
        const result = {
          valid: true as const,
          kind: 'refund' as const,
          eventType,
          outTradeNo: fields.out_trade_no,
          transactionId: fields.transaction_id,
          outRefundNo: fields.out_refund_no,
          refundId: fields.refund_id,
          amountCents: fields.amount?.refund,
          mchId: fields.mchid,
          refundStatus: fields.refund_status,
        };
        return this.wellTyped(result) ? result : { valid: false };
      }
      return { valid: false };
    } catch {
      return { valid: false };
    }
  }

  /** Every field the caller will compare is there with its type: a signed but odd message is still not believed. */
  private wellTyped(result: Record<string, unknown>): boolean {
    return Object.entries(result).every(([key, value]) =>
      key === 'amountCents' ? Number.isInteger(value) : typeof value === 'string' || typeof value === 'boolean',
    );
  }

  private async create(path: string, order: WechatOrderRequest): Promise<Answer> {
    const answer = await this.call('POST', path, {
      appid: this.settings.appId,
      mchid: this.settings.mchId,
      description: order.description,
      out_trade_no: order.outTradeNo,
      time_expire: beijingTime(order.expiresAt),
      notify_url: order.notifyUrl,
      amount: { total: order.amountCents, currency: 'CNY' },
    });
    this.refuseUnlessOk(answer);
    return answer;
  }

  /** A signed 4xx is WeChat Pay saying no (its code and message passed on); 2xx goes on. */
  private refuseUnlessOk(answer: Answer): void {
    if (answer.status >= 400) {
      throw new PaymentProviderRefused(PROVIDER, this.codeOf(answer), this.reasonOf(answer));
    }
  }

  private codeOf(answer: Answer): string {
    return typeof answer.data.code === 'string' ? answer.data.code : `HTTP_${answer.status}`;
  }

  private reasonOf(answer: Answer): string {
    const { message } = answer.data;
    return typeof message === 'string' && message ? `${this.codeOf(answer)}: ${message}` : this.codeOf(answer);
  }

  /**
   * One signed request. Throws PaymentProviderUnavailable when WeChat Pay cannot be reached in time, answers
   * 5xx, 429 (rate limit) or 401 (our signature refused: configuration, not the customer's fault), or answers
   * anything that does not verify. Returns only verified answers with status 2xx or 4xx.
   */
  private async call(method: 'GET' | 'POST', path: string, payload?: object): Promise<Answer> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = authorizationHeader(
      { mchId: this.settings.mchId, certSerial: this.settings.certSerial, privateKey: this.privateKey },
      { method, url: path, body },
    );
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    let status: number;
    let headers: HeaderBag;
    let raw: string;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          Authorization: authorization,
          Accept: 'application/json',
          'User-Agent': 'ttms-wechatpay/1',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body || undefined,
        // A redirect is nothing WeChat Pay does: following one would send a signed request elsewhere.
        redirect: 'error',
        signal: controller.signal,
      });
      status = response.status;
      headers = Object.fromEntries(response.headers.entries());
      raw = await response.text();
    } catch (error) {
      const why = controller.signal.aborted ? `no answer within ${this.settings.timeoutMs} ms` : 'network failure';
      throw this.unavailable(`${why} (${method} ${path.split('?')[0]}${this.causeOf(error)})`);
    } finally {
      clearTimeout(timer);
    }
    if (status >= 500 || status === 429 || status === 401) {
      throw this.unavailable(`HTTP ${status} on ${method} ${path.split('?')[0]}`);
    }
    const { platformKeyId } = this.settings;
    if (!verifySignature({ headers, body: raw, platformPublicKey: this.platformPublicKey, platformKeyId })) {
      throw this.unavailable(`unverifiable answer (HTTP ${status}) on ${method} ${path.split('?')[0]}`);
    }
    if (status < 200 || (status >= 300 && status < 400)) throw this.unavailable(`HTTP ${status}`);
    try {
      const data = raw ? JSON.parse(raw) : {};
      if (typeof data !== 'object' || data === null) throw new Error('not an object');
      return { status, data };
    } catch {
      throw this.unavailable(`answer is not JSON (HTTP ${status})`);
    }
  }

  /** Only the system error code (ECONNREFUSED...): enough to act on, and it can never quote a key or a body. */
  private causeOf(error: unknown): string {
    const code = (error as { cause?: { code?: unknown } })?.cause?.code;
    return typeof code === 'string' ? `: ${code}` : '';
  }

  private unavailable(why: string): PaymentProviderUnavailable {
    return new PaymentProviderUnavailable(PROVIDER, why);
  }
}
