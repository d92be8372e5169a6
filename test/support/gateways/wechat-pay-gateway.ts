import { createCipheriv, createSign, createVerify, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for WeChat Pay API v3 (public-key mode) on 127.0.0.1: Native and App orders, query and close
 * by out_trade_no, domestic refunds. It checks each request's signature with the merchant public key (401
 * SIGN_ERROR otherwise), keeps trades in memory, and signs every answer and notification with the platform
 * private key, Wechatpay-Serial being the public key id, as WeChat Pay does.
 */

export interface WechatPayTestKeys {
  mchId: string;
  appId: string;
  certSerial: string;
  merchantPrivateKey: string;
  merchantPublicKey: string;
  platformPrivateKey: string;
  platformPublicKey: string;
  platformKeyId: string;
  apiV3Key: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length: number, alphabet = ALPHANUMERIC): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** Fresh merchant and platform key pairs, a merchant certificate serial, a PUB_KEY_ID_ and a 32-character APIv3 key. */
export function generateWechatPayKeys(): WechatPayTestKeys {
  const pair = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const merchant = pair();
  const platform = pair();
  return {
    mchId: `19${randomString(8, '0123456789')}`,
    appId: `wx${randomString(16, '0123456789abcdef')}`,
    certSerial: randomBytes(20).toString('hex').toUpperCase(),
    merchantPrivateKey: merchant.privateKey,
    merchantPublicKey: merchant.publicKey,
    platformPrivateKey: platform.privateKey,
    platformPublicKey: platform.publicKey,
    platformKeyId: `PUB_KEY_ID_${randomString(40, '0123456789')}`,
    apiV3Key: randomString(32),
  };
}

export interface GatewayTrade {
  outTradeNo: string;
  tradeType: 'NATIVE' | 'APP';
  appId: string;
  mchId: string;
  description: string;
  amountCents: number;
  currency: string;
  timeExpire?: string;
  notifyUrl: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
  transactionId?: string;
  codeUrl?: string;
  prepayId?: string;
}

export interface GatewayRefund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  amountCents: number;
  totalCents: number;
  reason: string;
  notifyUrl: string;
  status: 'SUCCESS' | 'PROCESSING' | 'ABNORMAL' | 'CLOSED';
}

export interface WechatNotificationMessage {
  headers: Record<string, string>;
  body: string;
}

/** The request fields this stand-in reads. */
interface WireRequest {
  appid?: string;
  mchid?: string;
  description?: string;
  out_trade_no?: string;
  out_refund_no?: string;
  time_expire?: string;
  notify_url?: string;
  reason?: string;
  amount?: { total?: number; refund?: number; currency?: string };
}

interface Failure {
  status: number;
  code: string;
  message: string;
}

export class WechatPayGateway {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly trades = new Map<string, GatewayTrade>();
  private readonly refunds = new Map<string, GatewayRefund>();
  private readonly failures: { path: string; failure: Failure }[] = [];
  private isDown = false;
  private refundsPending = false;
  private tamperNext = false;
  private delayNextMs = 0;
  /** Each request as received, for tests that look at what was sent. */
  readonly requests: { method: string; url: string; body: string }[] = [];
  baseUrl = '';

  constructor(readonly keys: WechatPayTestKeys) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- test controls ----

  /** Every connection is cut at once, as an unreachable host would be. */
  down(): void {
    this.isDown = true;
  }

  up(): void {
    this.isDown = false;
  }

  /** The next request whose path starts with `path` gets this signed error. */
  failNext(path: string, failure: Failure): void {
    this.failures.push({ path, failure });
  }

  /** The next answer carries a signature that does not match its body. */
  tamperNextAnswer(): void {
    this.tamperNext = true;
  }

  /** The next answer waits this long (for timeouts). */
  delayNext(ms: number): void {
    this.delayNextMs = ms;
  }

  /** Refunds answer PROCESSING until finishRefunds(). */
  refundProcessing(): void {
    this.refundsPending = true;
  }

  finishRefunds(): void {
    this.refundsPending = false;
    for (const refund of this.refunds.values()) {
      if (refund.status === 'PROCESSING') refund.status = 'SUCCESS';
    }
  }

  trade(outTradeNo: string): GatewayTrade | undefined {
    const trade = this.trades.get(outTradeNo);
    return trade && { ...trade };
  }

  refund(outRefundNo: string): GatewayRefund | undefined {
    const refund = this.refunds.get(outRefundNo);
    return refund && { ...refund };
  }

  /** The customer pays: the trade reads SUCCESS, and the TRANSACTION.SUCCESS notification WeChat Pay would send. */
  pay(outTradeNo: string): WechatNotificationMessage {
    const trade = this.trades.get(outTradeNo);
    if (!trade) throw new Error(`no trade ${outTradeNo}`);
    trade.state = 'SUCCESS';
    trade.transactionId ??= `4200${randomString(24, '0123456789')}`;
    return this.notification('TRANSACTION.SUCCESS', 'transaction', '支付成功', this.transactionJson(trade));
  }

  /** The REFUND.* notification of a refund (a PROCESSING one completes first: WeChat notifies final states). */
  refundNotification(outRefundNo: string): WechatNotificationMessage {
    const refund = this.refunds.get(outRefundNo);
    if (!refund) throw new Error(`no refund ${outRefundNo}`);
    if (refund.status === 'PROCESSING') refund.status = 'SUCCESS';
    const trade = this.trades.get(refund.outTradeNo)!;
    return this.notification(`REFUND.${refund.status}`, 'refund', '退款成功', {
      mchid: trade.mchId,
      out_trade_no: trade.outTradeNo,
      transaction_id: trade.transactionId,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_status: refund.status,
      success_time: '2026-01-01T12:00:00+08:00',
      user_received_account: '支付用户零钱',
      amount: {
        total: refund.totalCents,
        refund: refund.amountCents,
        payer_total: refund.totalCents,
        payer_refund: refund.amountCents,
      },
    });
  }

  /** POSTs a notification to the app as WeChat Pay does, and returns what the app answered. */
  async notify(url: string, message: WechatNotificationMessage): Promise<{ status: number; body: string }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...message.headers, 'Content-Type': 'application/json' },
      body: message.body,
    });
    return { status: response.status, body: await response.text() };
  }

  /** Wechatpay-* headers for a body, signed with the platform key (a timestamp may be given: replays). */
  signedHeaders(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const nonce = randomBytes(16).toString('hex');
    const signature = createSign('RSA-SHA256')
      .update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8')
      .sign(this.keys.platformPrivateKey, 'base64');
    return {
      'Wechatpay-Timestamp': String(timestamp),
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signature,
      'Wechatpay-Serial': this.keys.platformKeyId,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  /** AEAD_AES_256_GCM with the APIv3 key, the 16-byte tag appended to the ciphertext, as WeChat Pay sends it. */
  encryptResource(plain: object, originalType: string): Record<string, string> {
    const nonce = randomString(12);
    const associatedData = originalType;
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(this.keys.apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return {
      original_type: originalType,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: sealed.toString('base64'),
      associated_data: associatedData,
      nonce,
    };
  }

  private notification(
    eventType: string,
    originalType: string,
    summary: string,
    plain: object,
  ): WechatNotificationMessage {
    const body = JSON.stringify({
      id: randomBytes(16).toString('hex'),
      create_time: '2026-01-01T12:00:00+08:00',
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: this.encryptResource(plain, originalType),
    });
    return { headers: this.signedHeaders(body), body };
  }

  // ---- the API ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.isDown) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    this.requests.push({ method, url, body });
    if (this.delayNextMs) {
      const ms = this.delayNextMs;
      this.delayNextMs = 0;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    if (!this.signatureValid(req, method, url, body)) {
      return this.answer(res, 401, { code: 'SIGN_ERROR', message: '签名错误' });
    }
    const path = url.split('?')[0];
    const failure = this.failures.findIndex((entry) => path.startsWith(entry.path));
    if (failure >= 0) {
      const [{ failure: fail }] = this.failures.splice(failure, 1);
      return this.answer(res, fail.status, { code: fail.code, message: fail.message });
    }
    let request: WireRequest = {};
    try {
      request = body ? JSON.parse(body) : {};
    } catch {
      return this.answer(res, 400, { code: 'PARAM_ERROR', message: 'body is not JSON' });
    }
    const tradeMatch = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(path);
    if (method === 'POST' && (path === '/v3/pay/transactions/native' || path === '/v3/pay/transactions/app')) {
      return this.createTrade(res, path.endsWith('native') ? 'NATIVE' : 'APP', request);
    }
    if (method === 'GET' && tradeMatch && !tradeMatch[2]) {
      return this.queryTrade(res, decodeURIComponent(tradeMatch[1]), new URL(url, this.baseUrl));
    }
    if (method === 'POST' && tradeMatch && tradeMatch[2]) {
      return this.closeTrade(res, decodeURIComponent(tradeMatch[1]), request);
    }
    if (method === 'POST' && path === '/v3/refund/domestic/refunds') return this.createRefund(res, request);
    const refundMatch = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
    if (method === 'GET' && refundMatch) {
      const refund = this.refunds.get(decodeURIComponent(refundMatch[1]));
      if (!refund) return this.answer(res, 404, { code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' });
      return this.answer(res, 200, this.refundJson(refund, this.trades.get(refund.outTradeNo)!));
    }
    return this.answer(res, 404, { code: 'NOT_FOUND', message: 'no such API' });
  }

  /** Authorization: WECHATPAY2-SHA256-RSA2048 mchid,nonce_str,signature,timestamp,serial_no over METHOD\nURL\nTS\nNONCE\nBODY\n. */
  private signatureValid(req: IncomingMessage, method: string, url: string, body: string): boolean {
    const authorization = req.headers.authorization ?? '';
    if (!authorization.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return false;
    const fields = Object.fromEntries(
      [...authorization.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]] as const),
    );
    const { mchid, nonce_str: nonce, signature, timestamp, serial_no: serial } = fields;
    if (mchid !== this.keys.mchId || serial !== this.keys.certSerial || !nonce || !signature || !timestamp) {
      return false;
    }
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
    try {
      return createVerify('RSA-SHA256')
        .update(`${method}\n${url}\n${timestamp}\n${nonce}\n${body}\n`, 'utf8')
        .verify(this.keys.merchantPublicKey, signature, 'base64');
    } catch {
      return false;
    }
  }

  private createTrade(res: ServerResponse, tradeType: 'NATIVE' | 'APP', request: WireRequest): void {
    const {
      appid,
      mchid,
      description,
      out_trade_no: outTradeNo,
      time_expire: timeExpire,
      notify_url: notifyUrl,
    } = request;
    const total = request.amount?.total;
    if (appid !== this.keys.appId || mchid !== this.keys.mchId) {
      return this.answer(res, 400, { code: 'APPID_MCHID_NOT_MATCH', message: 'appid和mch_id不匹配' });
    }
    if (
      !outTradeNo ||
      !description ||
      !notifyUrl ||
      typeof total !== 'number' ||
      !Number.isInteger(total) ||
      total <= 0
    ) {
      return this.answer(res, 400, { code: 'PARAM_ERROR', message: '参数错误' });
    }
    if (timeExpire !== undefined && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/.test(timeExpire)) {
      return this.answer(res, 400, { code: 'PARAM_ERROR', message: 'time_expire格式错误' });
    }
    const existing = this.trades.get(outTradeNo);
    if (existing) {
      if (existing.state !== 'NOTPAY') return this.answer(res, 400, { code: 'ORDER_PAID', message: '订单已支付' });
      if (existing.amountCents !== total || existing.tradeType !== tradeType) {
        return this.answer(res, 400, { code: 'OUT_TRADE_NO_USED', message: '商户订单号重复' });
      }
      return this.answer(
        res,
        200,
        tradeType === 'NATIVE' ? { code_url: existing.codeUrl } : { prepay_id: existing.prepayId },
      );
    }
    const trade: GatewayTrade = {
      outTradeNo,
      tradeType,
      appId: appid,
      mchId: mchid,
      description,
      amountCents: total,
      currency: request.amount?.currency ?? 'CNY',
      timeExpire,
      notifyUrl,
      state: 'NOTPAY',
      codeUrl: tradeType === 'NATIVE' ? `weixin://wxpay/bizpayurl?pr=${randomString(9)}` : undefined,
      prepayId: tradeType === 'APP' ? `wx${randomString(32, '0123456789abcdef')}` : undefined,
    };
    this.trades.set(outTradeNo, trade);
    this.answer(res, 200, tradeType === 'NATIVE' ? { code_url: trade.codeUrl } : { prepay_id: trade.prepayId });
  }

  private queryTrade(res: ServerResponse, outTradeNo: string, url: URL): void {
    if (url.searchParams.get('mchid') !== this.keys.mchId) {
      return this.answer(res, 400, { code: 'PARAM_ERROR', message: 'mchid错误' });
    }
    const trade = this.trades.get(outTradeNo);
    if (!trade) return this.answer(res, 404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    this.answer(res, 200, this.transactionJson(trade));
  }

  private transactionJson(trade: GatewayTrade): Record<string, unknown> {
    const paid = trade.state === 'SUCCESS' || trade.state === 'REFUND';
    return {
      appid: trade.appId,
      mchid: trade.mchId,
      out_trade_no: trade.outTradeNo,
      transaction_id: trade.transactionId,
      trade_type: trade.tradeType,
      trade_state: trade.state,
      trade_state_desc: trade.state,
      bank_type: paid ? 'OTHERS' : undefined,
      success_time: paid ? '2026-01-01T12:00:00+08:00' : undefined,
      payer: paid ? { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } : undefined,
      amount: paid
        ? { total: trade.amountCents, payer_total: trade.amountCents, currency: 'CNY', payer_currency: 'CNY' }
        : { total: trade.amountCents, currency: 'CNY' },
    };
  }

  private closeTrade(res: ServerResponse, outTradeNo: string, request: WireRequest): void {
    if (request.mchid !== this.keys.mchId) return this.answer(res, 400, { code: 'PARAM_ERROR', message: 'mchid错误' });
    const trade = this.trades.get(outTradeNo);
    if (!trade) return this.answer(res, 404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    if (trade.state === 'SUCCESS' || trade.state === 'REFUND') {
      return this.answer(res, 400, { code: 'ORDER_PAID', message: '订单已支付' });
    }
    trade.state = 'CLOSED';
    this.answer(res, 204);
  }

  private createRefund(res: ServerResponse, request: WireRequest): void {
    const { out_trade_no: outTradeNo, out_refund_no: outRefundNo, reason, notify_url: notifyUrl } = request;
    const { refund: refundCents, total, currency } = request.amount ?? {};
    const trade = outTradeNo === undefined ? undefined : this.trades.get(outTradeNo);
    if (!outTradeNo || !trade) return this.answer(res, 404, { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在' });
    if (!outRefundNo || typeof refundCents !== 'number' || !Number.isInteger(refundCents) || currency !== 'CNY') {
      return this.answer(res, 400, { code: 'PARAM_ERROR', message: '参数错误' });
    }
    const existing = this.refunds.get(outRefundNo);
    // The same out_refund_no is the same refund: WeChat Pay answers it again rather than refunding twice.
    if (existing) return this.answer(res, 200, this.refundJson(existing, trade));
    if (trade.state !== 'SUCCESS' && trade.state !== 'REFUND') {
      return this.answer(res, 400, { code: 'INVALID_REQUEST', message: '订单未支付' });
    }
    if (total !== trade.amountCents) {
      return this.answer(res, 400, { code: 'PARAM_ERROR', message: '订单金额不一致' });
    }
    if (refundCents > trade.amountCents - this.refundedCents(outTradeNo)) {
      return this.answer(res, 400, { code: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' });
    }
    const refund: GatewayRefund = {
      outRefundNo,
      refundId: `5030${randomString(25, '0123456789')}`,
      outTradeNo,
      amountCents: refundCents,
      totalCents: total,
      reason: reason ?? '',
      notifyUrl: notifyUrl ?? '',
      status: this.refundsPending ? 'PROCESSING' : 'SUCCESS',
    };
    this.refunds.set(outRefundNo, refund);
    trade.state = 'REFUND';
    this.answer(res, 200, this.refundJson(refund, trade));
  }

  /** What the refunds of a trade have taken from it (a test asserts a retry took nothing more). */
  refundedCents(outTradeNo: string): number {
    return [...this.refunds.values()]
      .filter((refund) => refund.outTradeNo === outTradeNo && refund.status !== 'CLOSED')
      .reduce((sum, refund) => sum + refund.amountCents, 0);
  }

  private refundJson(refund: GatewayRefund, trade: GatewayTrade): Record<string, unknown> {
    return {
      refund_id: refund.refundId,
      out_refund_no: refund.outRefundNo,
      transaction_id: trade.transactionId,
      out_trade_no: trade.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      success_time: refund.status === 'SUCCESS' ? '2026-01-01T12:00:00+08:00' : undefined,
      create_time: '2026-01-01T12:00:00+08:00',
      status: refund.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: refund.totalCents,
        refund: refund.amountCents,
        payer_total: refund.totalCents,
        payer_refund: refund.amountCents,
        settlement_refund: refund.amountCents,
        settlement_total: refund.totalCents,
        discount_refund: 0,
        currency: 'CNY',
      },
    };
  }

  /** Every answer signed with the platform key, as WeChat Pay signs its answers (errors included). */
  private answer(res: ServerResponse, status: number, payload?: object): void {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const headers = this.signedHeaders(body);
    if (this.tamperNext) {
      this.tamperNext = false;
      const signature = Buffer.from(headers['Wechatpay-Signature'], 'base64');
      signature[0] ^= 0xff;
      headers['Wechatpay-Signature'] = signature.toString('base64');
    }
    res.writeHead(status, {
      ...headers,
      'Request-ID': randomBytes(12).toString('hex'),
      ...(body ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    });
    res.end(body);
  }
}
