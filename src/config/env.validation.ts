import { plainToInstance, Transform, TransformFnParams } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { paymentSettingsProblems } from './payment-settings';

/**
 * Reads the raw text: with implicit conversion on, `value` has already been through Boolean(), which
 * makes the string "false" true. A missing variable keeps its default.
 */
const toBool = ({ value, key, obj }: TransformFnParams): unknown => {
  const raw: unknown = (obj as Record<string, unknown>)[key];
  if (raw === undefined) return value;
  return typeof raw === 'string' ? !['false', '0', 'off', 'no'].includes(raw.trim().toLowerCase()) : raw;
};

/** Every environment knob of CONTRACT section 9, with its default; `.env.example` mirrors this list. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @Matches(/^mysql:\/\/.+/, { message: 'DATABASE_URL must look like mysql://user:pass@host:3306/db' })
  DATABASE_URL?: string;

  @IsString()
  DATABASE_PATH: string = 'data/ttms.sqlite';

  @Transform(toBool)
  @IsBoolean()
  DB_MIGRATIONS_RUN: boolean = true;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET?: string;

  @Matches(/^\d+[smhd]?$/, { message: 'JWT_EXPIRES_IN must be a number of seconds or like 15m, 12h, 5d' })
  JWT_EXPIRES_IN: string = '5d';

  @IsOptional()
  @IsString()
  ADMIN_NAME?: string;

  @IsOptional()
  @IsString()
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must look like smtp://host:port' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM: string = 'TTMS <no-reply@ttms.local>';

  @IsIn(['log', 'webhook'])
  SMS_DRIVER: string = 'log';

  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'SMS_WEBHOOK_URL must be an http(s) URL' })
  SMS_WEBHOOK_URL?: string;

  @IsOptional()
  @IsString()
  CAPTCHA_FIXED_CODE?: string;

  /** Seconds between a notification's attempts (CONTRACT section 14); one attempt more than there are numbers. */
  @Matches(/^\d+(,\d+)*$/, { message: 'WEBHOOK_RETRY_SCHEDULE must be seconds separated by commas, e.g. 5,300,1800' })
  WEBHOOK_RETRY_SCHEDULE: string = '5,300,1800,7200,18000,36000,36000';

  /** `on` lets webhooks reach loopback, private and link-local addresses (tests, single-site installs). */
  @IsIn(['on', 'off'])
  WEBHOOK_ALLOW_PRIVATE: string = 'off';

  /** `off`: this instance records events but leaves sending them to the others (an API-only instance). */
  @IsIn(['on', 'off'])
  NOTIFICATION_WORKER: string = 'on';

  @IsIn(['on', 'off'])
  RATE_LIMITS: string = 'on';

  @IsInt()
  @Min(1)
  ORDER_HOLD_SECONDS: number = 900;

  @IsInt()
  @Min(0)
  REFUND_CUTOFF_MINUTES: number = 30;

  @IsInt()
  @Min(0)
  CLEANING_MINUTES: number = 15;

  @IsString()
  APP_TIMEZONE: string = 'Asia/Shanghai';

  @IsInt()
  @Min(1)
  SWEEP_SECONDS: number = 30;

  @Transform(toBool)
  @IsBoolean()
  DEMO_DATA: boolean = true;

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must look like redis://host:6379' })
  REDIS_URL?: string;

  /** argon2id memory cost in KiB; test runs lower it, production refuses less than the default. */
  @IsInt()
  @Min(1024)
  ARGON2_MEMORY_KIB: number = 19456;

  @IsInt()
  @Min(1)
  ARGON2_TIME_COST: number = 2;

  @IsString()
  UPLOADS_DIR: string = 'data/uploads';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Comma-separated origins allowed by CORS; empty allows none, `*` allows any. */
  @IsString()
  CORS_ORIGINS: string = '';

  /**
   * Which proxies' X-Forwarded-For names the client (Express's `trust proxy`): addresses or
   * networks, comma-separated, or `loopback`, `uniquelocal`. Per-IP limits count that client.
   */
  @IsString()
  @IsNotEmpty()
  TRUST_PROXY: string = 'loopback';

  /** Comma-separated: mock, alipay, wechat (CONTRACT section 12); see payment-settings.ts for the default. */
  @IsOptional()
  @IsString()
  PAYMENT_CHANNELS?: string;

  /** The app's public origin, where the providers send their notifications. */
  @IsOptional()
  @Matches(/^https?:\/\/[^/]+$/, { message: 'PUBLIC_BASE_URL must be an origin such as https://tickets.example.com' })
  PUBLIC_BASE_URL?: string;

  @IsOptional() @IsString() ALIPAY_APP_ID?: string;
  @IsOptional() @IsString() ALIPAY_PRIVATE_KEY?: string;
  @IsOptional() @IsString() ALIPAY_PUBLIC_KEY?: string;
  @IsString() ALIPAY_GATEWAY: string = 'https://openapi.alipay.com/gateway.do';
  @IsOptional() @IsString() WECHATPAY_MCH_ID?: string;
  @IsOptional() @IsString() WECHATPAY_APP_ID?: string;
  @IsOptional() @IsString() WECHATPAY_CERT_SERIAL?: string;
  @IsOptional() @IsString() WECHATPAY_PRIVATE_KEY?: string;
  @IsOptional() @IsString() WECHATPAY_APIV3_KEY?: string;
  @IsOptional() @IsString() WECHATPAY_PLATFORM_PUBLIC_KEY?: string;
  @IsOptional() @IsString() WECHATPAY_PLATFORM_KEY_ID?: string;
  @IsString() WECHATPAY_BASE_URL: string = 'https://api.mch.weixin.qq.com';
}

export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, raw, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(env, { skipMissingProperties: false });
  const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}));
  if (!isValidTimeZone(env.APP_TIMEZONE)) {
    problems.push(`APP_TIMEZONE "${env.APP_TIMEZONE}" is not an IANA time zone`);
  }
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET is required when NODE_ENV=production');
    if (env.CAPTCHA_FIXED_CODE) problems.push('CAPTCHA_FIXED_CODE is refused when NODE_ENV=production');
    if (env.ARGON2_MEMORY_KIB < 19456 || env.ARGON2_TIME_COST < 2) {
      problems.push('ARGON2_MEMORY_KIB/ARGON2_TIME_COST may not be lowered when NODE_ENV=production');
    }
  }
  problems.push(...paymentSettingsProblems(env as unknown as Record<string, unknown>));
  if (env.SMS_DRIVER === 'webhook' && !env.SMS_WEBHOOK_URL) {
    problems.push('SMS_WEBHOOK_URL is required when SMS_DRIVER=webhook');
  }
  if (problems.length) {
    throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return env;
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
