import { generateKeyPairSync } from 'node:crypto';
import { enabledChannels, paymentSettingsProblems, pemFromEnv } from './payment-settings';

describe('payment settings (CONTRACT 12)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const oneLine = (pem: string) => pem.replace(/\n/g, '\\n');
  const alipay = {
    PUBLIC_BASE_URL: 'https://tickets.example.com',
    ALIPAY_APP_ID: '2021000000000000',
    ALIPAY_PRIVATE_KEY: oneLine(privateKey),
    ALIPAY_PUBLIC_KEY: publicKey,
  };

  it('should enable mock by default, except in production, and what PAYMENT_CHANNELS lists otherwise', () => {
    expect(enabledChannels({})).toEqual(['mock']);
    expect(enabledChannels({ NODE_ENV: 'production' })).toEqual([]);
    expect(enabledChannels({ NODE_ENV: 'production', PAYMENT_CHANNELS: 'mock' })).toEqual(['mock']);
    expect(enabledChannels({ PAYMENT_CHANNELS: ' wechat , alipay' })).toEqual(['alipay', 'wechat']);
    expect(enabledChannels({ PAYMENT_CHANNELS: '' })).toEqual([]);
  });

  it('should refuse an unknown channel', () => {
    expect(paymentSettingsProblems({ PAYMENT_CHANNELS: 'mock,paypal' })).toEqual([
      expect.stringContaining('unknown channel "paypal"'),
    ]);
  });

  it('should name every setting a listed provider lacks, and accept one-line PEM keys', () => {
    expect(paymentSettingsProblems({ PAYMENT_CHANNELS: 'alipay', ...alipay })).toEqual([]);
    expect(paymentSettingsProblems({ PAYMENT_CHANNELS: 'alipay,wechat' })).toEqual([
      'PAYMENT_CHANNELS lists alipay, which needs ALIPAY_APP_ID, ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY, PUBLIC_BASE_URL',
      'PAYMENT_CHANNELS lists wechat, which needs WECHATPAY_MCH_ID, WECHATPAY_APP_ID, WECHATPAY_CERT_SERIAL, WECHATPAY_PRIVATE_KEY, WECHATPAY_APIV3_KEY, WECHATPAY_PLATFORM_PUBLIC_KEY, WECHATPAY_PLATFORM_KEY_ID, PUBLIC_BASE_URL',
    ]);
    expect(pemFromEnv(oneLine(privateKey))).toBe(privateKey.trim());
  });

  it('should name a key that does not parse without showing it, and an APIv3 key of the wrong length', () => {
    const secret = 'not-a-key-but-a-secret-value';
    const problems = paymentSettingsProblems({
      PAYMENT_CHANNELS: 'alipay',
      ...alipay,
      ALIPAY_PRIVATE_KEY: secret,
      WECHATPAY_APIV3_KEY: 'short',
    });
    expect(problems).toEqual([
      'ALIPAY_PRIVATE_KEY is not a PEM private key',
      'WECHATPAY_APIV3_KEY must be 32 characters',
    ]);
    expect(problems.join(' ')).not.toContain(secret);
  });
});
