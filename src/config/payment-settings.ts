import { createPrivateKey, createPublicKey } from 'node:crypto';

/** The channels of CONTRACT section 12 and how each may be paid. */
export const PAYMENT_CHANNEL_NAMES = ['mock', 'alipay', 'wechat'] as const;
export type PaymentChannelName = (typeof PAYMENT_CHANNEL_NAMES)[number];
export const PAYMENT_METHODS = ['qr', 'app'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** The settings each provider needs, by the environment variable that carries it. */
const REQUIRED: Record<Exclude<PaymentChannelName, 'mock'>, readonly string[]> = {
  alipay: ['ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY'],
  wechat: [
    'WECHATPAY_MCH_ID',
    'WECHATPAY_APP_ID',
    'WECHATPAY_CERT_SERIAL',
    'WECHATPAY_PRIVATE_KEY',
    'WECHATPAY_APIV3_KEY',
    'WECHATPAY_PLATFORM_PUBLIC_KEY',
    'WECHATPAY_PLATFORM_KEY_ID',
  ],
};
const PRIVATE_KEYS = ['ALIPAY_PRIVATE_KEY', 'WECHATPAY_PRIVATE_KEY'];
const PUBLIC_KEYS = ['ALIPAY_PUBLIC_KEY', 'WECHATPAY_PLATFORM_PUBLIC_KEY'];

/** The environment's text values (settings this file does not read may be anything). */
type Env = Readonly<Record<string, unknown>>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** PEM values may come with literal `\n` (or `\r\n`) for line breaks (one-line env files, container settings). */
export function pemFromEnv(value: string): string {
  return value.replace(/\\r\\n|\\n/g, '\n').trim();
}

/**
 * The channels PAYMENT_CHANNELS enables, in its order. Unset, it is `mock`, except in production,
 * where no money would move through mock unless a cinema lists it on purpose.
 */
export function enabledChannels(env: Env): PaymentChannelName[] {
  if (env.PAYMENT_CHANNELS === undefined) return env.NODE_ENV === 'production' ? [] : ['mock'];
  const names = text(env.PAYMENT_CHANNELS)
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return PAYMENT_CHANNEL_NAMES.filter((channel) => names.includes(channel));
}

/**
 * What stops the app at start-up: an unknown channel, a
 * provider listed without its settings (named, never shown), a key that does not parse.
 */
export function paymentSettingsProblems(env: Env): string[] {
  const listed = text(env.PAYMENT_CHANNELS).split(',');
  const problems = listed
    .map((name) => name.trim())
    .filter((name) => name && !PAYMENT_CHANNEL_NAMES.includes(name as PaymentChannelName))
    .map((name) => `PAYMENT_CHANNELS: unknown channel "${name}" (known: ${PAYMENT_CHANNEL_NAMES.join(', ')})`);
  for (const channel of enabledChannels(env)) {
    if (channel === 'mock') continue;
    const missing = REQUIRED[channel].filter((name) => !text(env[name]).trim());
    if (!env.PUBLIC_BASE_URL) missing.push('PUBLIC_BASE_URL');
    if (missing.length) problems.push(`PAYMENT_CHANNELS lists ${channel}, which needs ${missing.join(', ')}`);
    problems.push(...REQUIRED[channel].filter((name) => env[name]).flatMap((name) => keyProblem(name, env[name])));
  }
  if (env.WECHATPAY_APIV3_KEY !== undefined && text(env.WECHATPAY_APIV3_KEY).length !== 32) {
    problems.push('WECHATPAY_APIV3_KEY must be 32 characters');
  }
  return problems;
}

/** A key that does not parse is named with its variable; its value never appears in the message. */
function keyProblem(name: string, value: unknown): string[] {
  const parse = PRIVATE_KEYS.includes(name) ? createPrivateKey : PUBLIC_KEYS.includes(name) ? createPublicKey : null;
  if (!parse) return [];
  try {
    parse(pemFromEnv(text(value)));
    return [];
  } catch {
    return [`${name} is not a PEM ${PRIVATE_KEYS.includes(name) ? 'private' : 'public'} key`];
  }
}
