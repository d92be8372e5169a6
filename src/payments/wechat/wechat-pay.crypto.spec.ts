import { createCipheriv, createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import {
  appPayParams,
  authorizationHeader,
  beijingTime,
  decryptResource,
  signRequest,
  verifySignature,
} from './wechat-pay.crypto';

const keys = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchant = keys();
const platform = keys();
const keyId = 'PUB_KEY_ID_0114232806862025120100000000000000';
const apiV3Key = 'k'.repeat(16) + 'K'.repeat(16);

function signedBy(privateKey = platform.privateKey, body = '{"code_url":"weixin://x"}', timestamp = Date.now() / 1000) {
  const ts = String(Math.floor(timestamp));
  const nonce = 'd824f2e086d3c1df967785d13fcd22ef';
  const signature = createSign('RSA-SHA256').update(`${ts}\n${nonce}\n${body}\n`).sign(privateKey, 'base64');
  const headers = {
    'wechatpay-timestamp': ts,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': signature,
    'wechatpay-serial': keyId,
  };
  return { headers, body };
}

const check = (message: { headers: Record<string, string>; body: string }) =>
  verifySignature({ ...message, platformPublicKey: platform.publicKey, platformKeyId: keyId });

function encrypt(plain: string, key = apiV3Key, nonce = 'abcdefghijkl', aad = 'transaction') {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(aad));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: sealed.toString('base64'), nonce, associated_data: aad };
}

describe('WeChat Pay v3 crypto', () => {
  it('should sign METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n with the merchant key', () => {
    const request = { method: 'GET', url: '/v3/certificates', timestamp: '1554208460', nonce: '593BEC0C', body: '' };
    const signature = signRequest(merchant.privateKey, request);
    const message = 'GET\n/v3/certificates\n1554208460\n593BEC0C\n\n';
    expect(createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, signature, 'base64')).toBe(true);
  });

  it('should put mchid, nonce_str, signature, timestamp and serial_no in the Authorization header', () => {
    const header = authorizationHeader(
      { mchId: '1900009191', certSerial: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C', privateKey: merchant.privateKey },
      { method: 'POST', url: '/v3/pay/transactions/native', body: '{}', timestamp: '1554208460', nonce: 'N1' },
    );
    expect(header).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="N1",signature="[A-Za-z0-9+/=]+",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"$/,
    );
  });

  it('should accept an answer signed by the platform key with the configured key id', () => {
    expect(check(signedBy())).toBe(true);
  });

  it('should accept an empty body (204) signed as TIMESTAMP\\nNONCE\\n\\n', () => {
    expect(check(signedBy(platform.privateKey, ''))).toBe(true);
  });

  it('should refuse a tampered body, another key, another key id and a 6-minute-old timestamp', () => {
    const good = signedBy();
    expect(check({ ...good, body: good.body.replace('x', 'y') })).toBe(false);
    expect(check(signedBy(merchant.privateKey))).toBe(false);
    expect(check({ ...good, headers: { ...good.headers, 'wechatpay-serial': 'PUB_KEY_ID_other' } })).toBe(false);
    expect(check(signedBy(platform.privateKey, good.body, Date.now() / 1000 - 360))).toBe(false);
    expect(check(signedBy(platform.privateKey, good.body, Date.now() / 1000 + 360))).toBe(false);
  });

  it('should answer false, without throwing, for garbage', () => {
    const good = signedBy();
    expect(check({ headers: {}, body: '' })).toBe(false);
    expect(check({ headers: { ...good.headers, 'wechatpay-signature': '%%%not base64' }, body: good.body })).toBe(
      false,
    );
    expect(check({ headers: { ...good.headers, 'wechatpay-timestamp': 'soon' }, body: good.body })).toBe(false);
    expect(check({ headers: null as never, body: null as never })).toBe(false);
    expect(verifySignature({ ...good, platformPublicKey: 'not a key', platformKeyId: keyId })).toBe(false);
  });

  it('should decrypt an AEAD_AES_256_GCM resource with the APIv3 key', () => {
    expect(decryptResource(encrypt('{"out_trade_no":"T1"}'), apiV3Key)).toBe('{"out_trade_no":"T1"}');
  });

  it('should answer null for a resource of another key, tampered associated data or garbage', () => {
    expect(decryptResource(encrypt('{}', 'x'.repeat(32)), apiV3Key)).toBeNull();
    expect(decryptResource({ ...encrypt('{}'), associated_data: 'refund' }, apiV3Key)).toBeNull();
    expect(decryptResource({ ...encrypt('{}'), algorithm: 'AES-256-ECB' }, apiV3Key)).toBeNull();
    expect(decryptResource({ ciphertext: '!!', nonce: 'n' }, apiV3Key)).toBeNull();
    expect(decryptResource(null as never, apiV3Key)).toBeNull();
  });

  it('should sign App pay params as appid\\ntimestamp\\nnoncestr\\nprepayid\\n', () => {
    const params = appPayParams({
      appId: 'wxd930ea5d5a258f4f',
      mchId: '1900000109',
      prepayId: 'wx201410',
      privateKey: merchant.privateKey,
    });
    const message = `wxd930ea5d5a258f4f\n${params.timestamp}\n${params.noncestr}\nwx201410\n`;
    expect(params).toMatchObject({
      appid: 'wxd930ea5d5a258f4f',
      partnerid: '1900000109',
      prepayid: 'wx201410',
      package: 'Sign=WXPay',
    });
    expect(params.timestamp).toMatch(/^\d{10}$/);
    expect(createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, params.sign, 'base64')).toBe(true);
  });

  it('should write time_expire in RFC 3339 Beijing time, to the second', () => {
    expect(beijingTime(new Date('2026-12-07T22:15:30.789Z'))).toBe('2026-12-08T06:15:30+08:00');
  });
});
