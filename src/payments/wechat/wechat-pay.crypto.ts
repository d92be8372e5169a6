import { createDecipheriv, createSign, createVerify, KeyObject, randomBytes } from 'node:crypto';

/**
 * WeChat Pay API v3 signatures and encryption, public-key mode ("微信支付公钥": the platform public key and its
 * PUB_KEY_ID_... are configured; no platform certificate is downloaded). Pure functions over node:crypto.
 */

type Key = string | KeyObject;

/** Answers and notifications older (or newer) than this are replays: WeChat Pay's own advice is 5 minutes. */
export const WECHATPAY_MAX_AGE_SECONDS = 300;

/** Every signed message of API v3 is its lines, each ended by "\n", the last one too (an empty body is "\n"). */
function signedMessage(...lines: string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** 32 hex characters: WeChat Pay takes up to 32 for nonce_str and noncestr. */
export function randomNonce(): string {
  return randomBytes(16).toString('hex');
}

export function unixSeconds(now = Date.now()): string {
  return String(Math.floor(now / 1000));
}

function rsaSha256(privateKey: Key, message: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

export interface RequestToSign {
  method: string;
  /** The path and query as sent, without scheme and host (`/v3/pay/transactions/native`). */
  url: string;
  timestamp: string;
  nonce: string;
  /** The exact JSON sent; '' for GET. */
  body: string;
}

/** SHA256-RSA of `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` with the merchant's private key, base64. */
export function signRequest(privateKey: Key, request: RequestToSign): string {
  const { method, url, timestamp, nonce, body } = request;
  return rsaSha256(privateKey, signedMessage(method.toUpperCase(), url, timestamp, nonce, body));
}

export interface MerchantCredentials {
  mchId: string;
  /** Serial number of the merchant API certificate whose private key signs. */
  certSerial: string;
  privateKey: Key;
}

/** The Authorization header of one request; the timestamp and nonce are fresh unless given (tests). */
export function authorizationHeader(
  merchant: MerchantCredentials,
  request: Omit<RequestToSign, 'timestamp' | 'nonce'> & Partial<Pick<RequestToSign, 'timestamp' | 'nonce'>>,
): string {
  const timestamp = request.timestamp ?? unixSeconds();
  const nonce = request.nonce ?? randomNonce();
  const signature = signRequest(merchant.privateKey, { ...request, timestamp, nonce });
  return (
    `WECHATPAY2-SHA256-RSA2048 mchid="${merchant.mchId}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${timestamp}",serial_no="${merchant.certSerial}"`
  );
}

export type HeaderBag = Record<string, string | string[] | undefined>;

/** Header names are case-insensitive, and Node lowercases them; a repeated header is not trusted. */
function header(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === wanted) return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

export interface SignatureCheck {
  headers: HeaderBag;
  /** The raw body exactly as received: re-serialised JSON would not verify. */
  body: string;
  platformPublicKey: Key;
  /** Wechatpay-Serial must name the configured key: a message signed for another key id is not ours. */
  platformKeyId: string;
  now?: number;
}

/**
 * Whether an answer or a notification was signed by WeChat Pay: Wechatpay-Serial is the configured key id, the
 * timestamp is within 5 minutes of now (a recorded message replayed later fails), and Wechatpay-Signature is the
 * SHA256-RSA of `TIMESTAMP\nNONCE\nBODY\n` under the platform public key. Never throws: garbage is just false.
 */
export function verifySignature(check: SignatureCheck): boolean {
  try {
    const { headers, body, platformPublicKey, platformKeyId } = check;
    const timestamp = header(headers, 'Wechatpay-Timestamp');
    const nonce = header(headers, 'Wechatpay-Nonce');
    const signature = header(headers, 'Wechatpay-Signature');
    const serial = header(headers, 'Wechatpay-Serial');
    if (!timestamp || !nonce || !signature || typeof body !== 'string') return false;
    if (serial !== platformKeyId) return false;
    if (!/^\d{1,12}$/.test(timestamp)) return false;
    const age = Math.floor((check.now ?? Date.now()) / 1000) - Number(timestamp);
    if (Math.abs(age) > WECHATPAY_MAX_AGE_SECONDS) return false;
    return createVerify('RSA-SHA256')
      .update(signedMessage(timestamp, nonce, body), 'utf8')
      .verify(platformPublicKey, signature, 'base64');
  } catch {
    return false;
  }
}

export interface EncryptedResource {
  algorithm?: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
  original_type?: string;
}

/** AES-GCM's authentication tag: WeChat Pay appends its 16 bytes to the ciphertext before base64. */
const GCM_TAG_BYTES = 16;

/**
 * Decrypts a notification's `resource` (AEAD_AES_256_GCM, key = the 32-character APIv3 key as bytes, nonce and
 * associated_data as UTF-8). The tag makes a tampered or foreign resource fail here: null, never a throw.
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string | null {
  try {
    if (resource?.algorithm !== undefined && resource.algorithm !== 'AEAD_AES_256_GCM') return null;
    const key = Buffer.from(apiV3Key, 'utf8');
    const sealed = Buffer.from(resource.ciphertext, 'base64');
    if (key.length !== 32 || sealed.length <= GCM_TAG_BYTES || typeof resource.nonce !== 'string') return null;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce, 'utf8'));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
    const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_BYTES)), decipher.final()]);
    return plain.toString('utf8');
  } catch {
    return null;
  }
}

/** What the WeChat OpenSDK's PayReq takes to open an App payment (CONTRACT 12, `appParams`). */
export interface WechatAppPayParams {
  appid: string;
  partnerid: string;
  prepayid: string;
  package: 'Sign=WXPay';
  noncestr: string;
  timestamp: string;
  sign: string;
}

/** App 调起支付: `sign` is SHA256-RSA of `appid\ntimestamp\nnoncestr\nprepayid\n` with the merchant's key. */
export function appPayParams(input: {
  appId: string;
  mchId: string;
  prepayId: string;
  privateKey: Key;
  timestamp?: string;
  nonce?: string;
}): WechatAppPayParams {
  const timestamp = input.timestamp ?? unixSeconds();
  const noncestr = input.nonce ?? randomNonce();
  const sign = rsaSha256(input.privateKey, signedMessage(input.appId, timestamp, noncestr, input.prepayId));
  return {
    appid: input.appId,
    partnerid: input.mchId,
    prepayid: input.prepayId,
    package: 'Sign=WXPay',
    noncestr,
    timestamp,
    sign,
  };
}

/** `time_expire` is RFC 3339 to the second; WeChat Pay's examples use Beijing time, so +08:00 it is. */
export function beijingTime(at: Date): string {
  const shifted = new Date(Math.floor(at.getTime() / 1000) * 1000 + 8 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}
