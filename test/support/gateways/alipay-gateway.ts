import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * Alipay's classic gateway (openapi.alipay.com/gateway.do, RSA2) as far as TTMS uses it: precreate, app
 * pay (signed only, never sent), query, close, refund, and the asynchronous notification. It checks the
 * app's request signature with the app public key and signs its answers and notifications with its own
 * key, exactly as the SDK expects them, so a wrong key on either side fails here as it would there.
 */

export interface RsaKeyPair {
  privateKey: string;
  publicKey: string;
}

export function rsaKeyPair(): RsaKeyPair {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** The app's pair (Alipay holds its public half) and the gateway's (the app holds its public half). */
export function alipayTestKeys(): { app: RsaKeyPair; gateway: RsaKeyPair } {
  return { app: rsaKeyPair(), gateway: rsaKeyPair() };
}

export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_FINISHED' | 'TRADE_CLOSED';

export interface GatewayTrade {
  outTradeNo: string;
  status: TradeStatus;
  amountCents: number;
  subject: string;
  timeExpire: string | null;
  notifyUrl: string | null;
  tradeNo: string;
  refunds: Array<{ refundNo: string; amountCents: number }>;
}

type Fields = Record<string, string>;
type Body = Record<string, unknown>;

/** The string Alipay signs: every non-empty parameter but the excluded ones, sorted, `k=v` joined by `&`. */
export function signContent(fields: Fields, exclude: string[]): string {
  return Object.keys(fields)
    .filter((k) => !exclude.includes(k) && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

export function rsa2Sign(text: string, privateKey: string): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(privateKey, 'base64');
}

export class AlipayGateway {
  private readonly trades = new Map<string, GatewayTrade>();
  private readonly failures = new Map<string, { subCode: string; subMsg: string; code?: string }>();
  private readonly sockets = new Set<Socket>();
  private tamper: 'body' | 'unsigned' | null = null;
  private stallMs = 0;
  private tradeCounter = 0;
  private port = 0;
  /** Every request the gateway accepted as signed, for tests that count calls. */
  readonly calls: Array<{ method: string; bizContent: Body }> = [];

  private constructor(
    private readonly server: Server,
    private readonly options: { appId: string; appPublicKey: string; gatewayPrivateKey: string },
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: { appId: string; appPublicKey: string; gatewayPrivateKey: string }) {
    const gateway: AlipayGateway = new AlipayGateway(
      createServer((req, res) => void gateway.handle(req, res)),
      options,
    );
    await gateway.up();
    return gateway;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/gateway.do`;
  }

  /** Listens again on the same port, so a client built with `url` reaches it again. */
  async up(): Promise<void> {
    if (this.server.listening) return;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Refuses connections, including the client's kept-alive ones, until `up()`. */
  async down(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  async stop(): Promise<void> {
    await this.down();
  }

  /** The next call of `method` answers Alipay's business failure (code 40004 unless given). */
  failNext(method: string, failure: { subCode: string; subMsg: string; code?: string }): void {
    this.failures.set(method, failure);
  }

  /** The next answer's body is changed after signing ('body') or sent without a sign ('unsigned'). */
  tamperNext(how: 'body' | 'unsigned' = 'body'): void {
    this.tamper = how;
  }

  /** The next answer waits this long, to run into the client's timeout. */
  stallNext(ms: number): void {
    this.stallMs = ms;
  }

  trade(outTradeNo: string): GatewayTrade | undefined {
    const trade = this.trades.get(outTradeNo);
    return trade && { ...trade, refunds: trade.refunds.map((r) => ({ ...r })) };
  }

  /** The customer pays: the trade reads TRADE_SUCCESS, and the notification Alipay would post is returned. */
  pay(outTradeNo: string, at = new Date()): Fields {
    const trade = this.trades.get(outTradeNo);
    if (!trade) throw new Error(`no trade ${outTradeNo} at the gateway`);
    if (trade.status !== 'WAIT_BUYER_PAY') throw new Error(`trade ${outTradeNo} is ${trade.status}`);
    trade.status = 'TRADE_SUCCESS';
    const amount = yuan(trade.amountCents);
    return this.signNotification({
      notify_time: chinaTime(at),
      notify_type: 'trade_status_sync',
      notify_id: randomBytes(16).toString('hex'),
      app_id: this.options.appId,
      charset: 'utf-8',
      version: '1.0',
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_id: '2088102177846880',
      trade_status: 'TRADE_SUCCESS',
      total_amount: amount,
      receipt_amount: amount,
      buyer_pay_amount: amount,
      subject: trade.subject,
      gmt_create: chinaTime(at),
      gmt_payment: chinaTime(at),
    });
  }

  /** Signs as Alipay signs notifications: without sign and sign_type, then sign_type RSA2 is added. */
  signNotification(fields: Fields, privateKey = this.options.gatewayPrivateKey): Fields {
    const unsigned = { ...fields };
    delete unsigned.sign;
    delete unsigned.sign_type;
    return { ...unsigned, sign_type: 'RSA2', sign: rsa2Sign(signContent(unsigned, []), privateKey) };
  }

  /** Posts a notification the way Alipay does (form-encoded) and returns the app's text answer. */
  async notify(url: string, form: Fields): Promise<{ status: number; text: string }> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, text: await response.text() };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const fields: Fields = {};
    new URL(req.url ?? '/', 'http://gateway').searchParams.forEach((v, k) => (fields[k] = v));
    new URLSearchParams(Buffer.concat(chunks).toString('utf8')).forEach((v, k) => (fields[k] = v));
    const method = fields.method ?? '';
    if (new URL(req.url ?? '/', 'http://gateway').pathname === '/simulate/scan') return this.simulateScan(res, fields);

    if (this.stallMs > 0) {
      const ms = this.stallMs;
      this.stallMs = 0;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
    if (!this.signedByApp(fields)) {
      return this.answer(res, method, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-signature',
        sub_msg: `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${signContent(fields, ['sign'])}`,
      });
    }
    let biz: Body;
    try {
      biz = JSON.parse(fields.biz_content ?? '{}') as Body;
    } catch {
      return this.answer(res, method, invalid('isv.invalid-biz-content', 'biz_content is not JSON'));
    }
    this.calls.push({ method, bizContent: biz });
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      const code = failure.code ?? '40004';
      return this.answer(res, method, {
        code,
        msg: code === '40004' ? 'Business Failed' : 'Failed',
        sub_code: failure.subCode,
        sub_msg: failure.subMsg,
      });
    }
    this.answer(res, method, this.dispatch(method, biz, fields));
  }

  /**
   * What Alipay's sandbox app does for a person trying a flow by hand (the Postman flows): scans
   * `qr_code`, pays, and posts the notification to the trade's notify_url. Answers in plain text.
   */
  private async simulateScan(res: ServerResponse, fields: Fields): Promise<void> {
    const trade = [...this.trades.values()].find((t) => `https://qr.alipay.com/bax0${t.outTradeNo}` === fields.qr_code);
    const reply = (status: number, text: string): void => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
    };
    if (!trade?.notifyUrl) return reply(404, 'no open trade has that qr_code');
    if (trade.status !== 'WAIT_BUYER_PAY') return reply(409, `the trade is ${trade.status}`);
    const answer = await this.notify(trade.notifyUrl, this.pay(trade.outTradeNo));
    reply(200, `paid ${trade.outTradeNo}; the app answered ${answer.status} ${answer.text}`);
  }

  private signedByApp(fields: Fields): boolean {
    if (fields.app_id !== this.options.appId || fields.sign_type !== 'RSA2' || !fields.sign) return false;
    return createVerify('RSA-SHA256')
      .update(signContent(fields, ['sign']), 'utf8')
      .verify(this.options.appPublicKey, fields.sign, 'base64');
  }

  private dispatch(method: string, biz: Body, fields: Fields): Body {
    const outTradeNo = typeof biz.out_trade_no === 'string' ? biz.out_trade_no : '';
    const trade = this.trades.get(outTradeNo);
    const notExist = { ...businessFailure('ACQ.TRADE_NOT_EXIST', '交易不存在'), out_trade_no: outTradeNo };
    switch (method) {
      case 'alipay.trade.precreate': {
        const amountCents = cents(biz.total_amount);
        if (!outTradeNo || amountCents === null || typeof biz.subject !== 'string') {
          return invalid('isv.missing-or-invalid-parameter', 'out_trade_no, total_amount, subject');
        }
        if (trade && trade.status !== 'WAIT_BUYER_PAY') {
          return businessFailure('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
        }
        if (!trade) {
          this.trades.set(outTradeNo, {
            outTradeNo,
            status: 'WAIT_BUYER_PAY',
            amountCents,
            subject: biz.subject,
            timeExpire: typeof biz.time_expire === 'string' ? biz.time_expire : null,
            notifyUrl: fields.notify_url ?? null,
            tradeNo: `2026${String(++this.tradeCounter).padStart(24, '0')}`,
            refunds: [],
          });
        }
        return { ...success(), out_trade_no: outTradeNo, qr_code: `https://qr.alipay.com/bax0${outTradeNo}` };
      }
      case 'alipay.trade.query':
        if (!trade) return notExist;
        return {
          ...success(),
          trade_no: trade.tradeNo,
          out_trade_no: outTradeNo,
          trade_status: trade.status,
          total_amount: yuan(trade.amountCents),
        };
      case 'alipay.trade.close':
        if (!trade) return notExist;
        if (trade.status !== 'WAIT_BUYER_PAY' && trade.status !== 'TRADE_CLOSED') {
          return businessFailure('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
        }
        trade.status = 'TRADE_CLOSED';
        return { ...success(), trade_no: trade.tradeNo, out_trade_no: outTradeNo };
      case 'alipay.trade.refund':
        return this.refund(trade, biz) ?? notExist;
      default:
        return invalid('isv.invalid-method', `不存在的方法名 ${method}`);
    }
  }

  private refund(trade: GatewayTrade | undefined, biz: Body): Body | null {
    if (!trade) return null;
    const refundNo = typeof biz.out_request_no === 'string' ? biz.out_request_no : trade.outTradeNo;
    const amountCents = cents(biz.refund_amount);
    if (amountCents === null) return invalid('isv.missing-or-invalid-parameter', 'refund_amount');
    const done = {
      ...success(),
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_logon_id: 'tes***@example.com',
    };
    const earlier = trade.refunds.find((r) => r.refundNo === refundNo);
    // The same out_request_no again: success, and no money moves (fund_change N).
    if (earlier) return { ...done, fund_change: 'N', refund_fee: yuan(earlier.amountCents) };
    if (trade.status !== 'TRADE_SUCCESS') return businessFailure('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    const refunded = trade.refunds.reduce((sum, r) => sum + r.amountCents, 0);
    if (refunded + amountCents > trade.amountCents) {
      return businessFailure('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    }
    trade.refunds.push({ refundNo, amountCents });
    if (refunded + amountCents === trade.amountCents) trade.status = 'TRADE_CLOSED';
    return { ...done, fund_change: 'Y', refund_fee: yuan(refunded + amountCents) };
  }

  /** `{"<method>_response":<json>,"sign":"<RSA2 of exactly that json>"}`: the SDK cuts the json out of the text. */
  private answer(res: ServerResponse, method: string, body: Body): void {
    const key = `${method.replace(/\./g, '_')}_response`;
    let json = JSON.stringify(body);
    const sign = rsa2Sign(json, this.options.gatewayPrivateKey);
    const tamper = this.tamper;
    this.tamper = null;
    if (tamper === 'body') json = json.replace('"10000"', '"10000","extra":"x"');
    const text = tamper === 'unsigned' ? `{"${key}":${json}}` : `{"${key}":${json},"sign":"${sign}"}`;
    res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' });
    res.end(text);
  }
}

function success(): Body {
  return { code: '10000', msg: 'Success' };
}

function businessFailure(subCode: string, subMsg: string): Body {
  return { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg };
}

function invalid(subCode: string, subMsg: string): Body {
  return { code: '40002', msg: 'Invalid Arguments', sub_code: subCode, sub_msg: subMsg };
}

function yuan(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function cents(value: unknown): number | null {
  const match = typeof value === 'string' ? /^(\d+)(?:\.(\d{1,2}))?$/.exec(value) : null;
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : null;
}

function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
