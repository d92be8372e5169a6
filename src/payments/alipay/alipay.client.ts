import { pemFromEnv } from '../../config/payment-settings';
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import { PaymentProviderRefused, PaymentProviderUnavailable } from '../payment-provider.errors';

export interface AlipaySettings {
  appId: string;
  /** The app's RSA private key: PEM (PKCS#1 or PKCS#8) or the bare base64 Alipay's key tool prints. */
  privateKey: string;
  /** Alipay's RSA public key (not the app's): PEM or bare base64. */
  alipayPublicKey: string;
  gateway: string;
  timeoutMs: number;
}

export interface AlipayTradeOrder {
  outTradeNo: string;
  amountCents: number;
  subject: string;
  expiresAt: Date;
  notifyUrl: string;
}

export type AlipayTradeState =
  | { state: 'paid'; tradeNo: string; amountCents: number }
  | { state: 'unpaid' | 'closed'; tradeNo?: string; amountCents?: number }
  | { state: 'not_found' };

export type AlipayRefundOutcome = { outcome: 'refunded' } | { outcome: 'refused'; reason: string };

export interface AlipayNotification {
  valid: boolean;
  appId: string | null;
  outTradeNo: string | null;
  tradeNo: string | null;
  amountCents: number | null;
  status: string | null;
}

type Answer = Record<string, unknown>;

const PROVIDER = 'Alipay';
const NOT_EXIST = 'ACQ.TRADE_NOT_EXIST';

export class AlipayClient {
  private readonly sdk: AlipaySdk;

  constructor(settings: AlipaySettings) {
    // The SDK rebuilds PEMs from their lines and a declared type, so a PKCS#8 key read as PKCS#1 (its
    // default) or a PKCS#1 public key breaks only at the first signature; one canonical form avoids that.
    this.sdk = new AlipaySdk({
      appId: settings.appId,
      privateKey: asPem(settings.privateKey, 'private'),
      keyType: 'PKCS8',
      alipayPublicKey: asPem(settings.alipayPublicKey, 'public'),
      gateway: settings.gateway,
      timeout: settings.timeoutMs,
      signType: 'RSA2',
      camelcase: false,
    });
  }

  async precreate(order: AlipayTradeOrder): Promise<{ qrCode: string }> {
    const answer = await this.call('alipay.trade.precreate', tradeContent(order), order.notifyUrl);
    if (typeof answer.qr_code !== 'string' || answer.qr_code === '') {
      throw new PaymentProviderUnavailable(PROVIDER, 'precreate answered without qr_code');
    }
    return { qrCode: answer.qr_code };
  }

  /** What Alipay's mobile SDK takes: never sent by us, so it is signed here and nothing is asked. */
  appOrderString(order: AlipayTradeOrder): string {
    return this.sdk.sdkExec('alipay.trade.app.pay', {
      bizContent: { ...tradeContent(order), product_code: 'QUICK_MSECURITY_PAY' },
      notifyUrl: order.notifyUrl,
      timestamp: shanghaiTime(new Date()),
    });
  }

  async query(outTradeNo: string): Promise<AlipayTradeState> {
    let answer: Answer;
    try {
      answer = await this.call('alipay.trade.query', { out_trade_no: outTradeNo });
    } catch (err) {
      if (err instanceof PaymentProviderRefused && err.code === NOT_EXIST) return { state: 'not_found' };
      throw err;
    }
    const tradeNo = typeof answer.trade_no === 'string' ? answer.trade_no : undefined;
    const amountCents = centsFromYuan(answer.total_amount) ?? undefined;
    switch (answer.trade_status) {
      case 'TRADE_SUCCESS':
      case 'TRADE_FINISHED':
        if (tradeNo === undefined || amountCents === undefined) {
          throw new PaymentProviderUnavailable(PROVIDER, 'paid trade answered without trade_no or total_amount');
        }
        return { state: 'paid', tradeNo, amountCents };
      case 'WAIT_BUYER_PAY':
        return { state: 'unpaid', tradeNo, amountCents };
      case 'TRADE_CLOSED':
        return { state: 'closed', tradeNo, amountCents };
      default:
        throw new PaymentProviderUnavailable(PROVIDER, `unknown trade_status ${String(answer.trade_status)}`);
    }
  }

  async close(outTradeNo: string): Promise<void> {
    try {
      await this.call('alipay.trade.close', { out_trade_no: outTradeNo });
    } catch (err) {
      // A QR trade exists at Alipay only once scanned: one never scanned has nothing left to close.
      if (err instanceof PaymentProviderRefused && err.code === NOT_EXIST) return;
      throw err;
    }
  }

  async refund(request: {
    outTradeNo: string;
    refundNo: string;
    amountCents: number;
    reason: string;
  }): Promise<AlipayRefundOutcome> {
    try {
      // out_request_no identifies the refund at Alipay: the same one again answers success and moves no money.
      await this.call('alipay.trade.refund', {
        out_trade_no: request.outTradeNo,
        out_request_no: request.refundNo,
        refund_amount: yuanFromCents(request.amountCents),
        refund_reason: request.reason,
      });
      return { outcome: 'refunded' };
    } catch (err) {
      if (err instanceof PaymentProviderRefused) return { outcome: 'refused', reason: err.reason };
      throw err;
    }
  }

  /** Whoever can reach the notify URL can post anything: answers valid:false rather than throwing. */
  verifyNotification(form: Record<string, string>): AlipayNotification {
    const field = (name: string) => (typeof form?.[name] === 'string' ? form[name] : null);
    const notification = {
      appId: field('app_id'),
      outTradeNo: field('out_trade_no'),
      tradeNo: field('trade_no'),
      amountCents: centsFromYuan(form?.total_amount),
      status: field('trade_status'),
    };
    let valid = false;
    try {
      const allStrings = !!form && typeof form === 'object' && Object.values(form).every((v) => typeof v === 'string');
      // A notification in RSA (SHA-1) would be checked with SHA-1; the app signs and expects RSA2 only.
      const rsa2 = form?.sign_type === undefined || form.sign_type === 'RSA2';
      // V2: the form is already decoded by the body parser; V1 would decode it again (and throw on a '%').
      valid = allStrings && rsa2 && typeof form.sign === 'string' && this.sdk.checkNotifySignV2(form);
    } catch {
      valid = false;
    }
    return { valid: valid && notification.outTradeNo !== null && notification.amountCents !== null, ...notification };
  }

  /** One signed call; answers the verified body when Alipay says 10000, else throws. */
  private async call(method: string, bizContent: Answer, notifyUrl?: string): Promise<Answer> {
    let answer: Answer;
    try {
      // The SDK stamps the request with the machine's local time; Alipay reads it as China time.
      const params = { bizContent, timestamp: shanghaiTime(new Date()), ...(notifyUrl ? { notifyUrl } : {}) };
      answer = await this.sdk.exec(method, params, { validateSign: true });
    } catch (err) {
      throw new PaymentProviderUnavailable(PROVIDER, `${method}: ${whyUnavailable(err)}`);
    }
    const code = String(answer.code);
    if (code === '10000') return answer;
    const subCode = typeof answer.sub_code === 'string' ? answer.sub_code : code;
    const reason = [answer.sub_msg, answer.msg].find((m): m is string => typeof m === 'string' && m !== '') ?? subCode;
    // 40004 is a business answer about this trade; ACQ.SYSTEM_ERROR within it means "ask again".
    if (code === '40004' && subCode !== 'ACQ.SYSTEM_ERROR') throw new PaymentProviderRefused(PROVIDER, subCode, reason);
    // 20000 (busy) and 4000x (our request or configuration rejected) leave nothing changed at Alipay.
    throw new PaymentProviderUnavailable(PROVIDER, `${method}: ${code} ${subCode}`);
  }
}

function tradeContent(order: AlipayTradeOrder): Answer {
  return {
    out_trade_no: order.outTradeNo,
    total_amount: yuanFromCents(order.amountCents),
    subject: order.subject,
    time_expire: shanghaiTime(order.expiresAt),
  };
}

/** Integer arithmetic: 0.1 + 0.2 must never reach a payment provider. */
export function yuanFromCents(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents <= 0) throw new RangeError(`not an amount in cents: ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export function centsFromYuan(value: unknown): number | null {
  const match = typeof value === 'string' ? /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value) : null;
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : null;
}

/** 'yyyy-MM-dd HH:mm:ss' in Asia/Shanghai (UTC+8 all year, no daylight saving since 1991). */
export function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function asPem(key: string, kind: 'private' | 'public'): string {
  const text = pemFromEnv(key);
  const der = text.includes('-----BEGIN') ? null : Buffer.from(text.replace(/\s+/g, ''), 'base64');
  const attempts: Array<() => KeyObject> =
    kind === 'private'
      ? der
        ? [
            () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
            () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }),
          ]
        : [() => createPrivateKey(text)]
      : der
        ? [
            () => createPublicKey({ key: der, format: 'der', type: 'spki' }),
            () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }),
          ]
        : [() => createPublicKey(text)];
  for (const attempt of attempts) {
    try {
      const parsed = attempt();
      if (parsed.asymmetricKeyType !== 'rsa') break;
      const pem =
        kind === 'private'
          ? parsed.export({ format: 'pem', type: 'pkcs8' })
          : parsed.export({ format: 'pem', type: 'spki' });
      // The SDK drops the first and last line: a trailing newline would leave the END line in the key.
      return pem.toString().trim();
    } catch {
      // try the next encoding; the key itself must not reach any message
    }
  }
  throw new Error(`Alipay ${kind === 'private' ? 'app private key' : 'public key'} is not an RSA ${kind} key`);
}

function whyUnavailable(err: unknown): string {
  if (!(err instanceof AlipayRequestError)) return 'answer without a valid signature';
  const cause = err.cause as Error | undefined;
  if (cause && !(cause instanceof SyntaxError)) return `no answer (${cause.name}: ${cause.message})`;
  const status = /status: (\d+)/.exec(err.message);
  if (status) return `HTTP ${status[1]}`;
  if (err.message.includes('验签')) return 'answer not signed by the configured Alipay public key';
  return 'unreadable answer';
}
