import { Logger, Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../../config/env.validation';
import { CodeMessage } from './code-message';

/** An SMS gateway. A real provider is one more class here and one more entry in SMS_DRIVERS. */
export interface SmsDriver {
  sendCode(phone: string, message: CodeMessage): Promise<void>;
}

export const SMS_DRIVER = Symbol('SMS_DRIVER');

/** Development: the code goes to the log. */
export class LogSmsDriver implements SmsDriver {
  private readonly logger = new Logger('SmsLog');

  sendCode(phone: string, message: CodeMessage): Promise<void> {
    this.logger.log(`SMS code for ${phone} (${message.purpose}): ${message.code} [SMS_DRIVER=log]`);
    return Promise.resolve();
  }
}

/** POSTs `{ phone, code, purpose }` as JSON to SMS_WEBHOOK_URL, for a gateway of your own. */
export class WebhookSmsDriver implements SmsDriver {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async sendCode(phone: string, message: CodeMessage): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone, code: message.code, purpose: message.purpose }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`SMS webhook answered HTTP ${response.status}`);
  }
}

type Config = ConfigService<EnvironmentVariables, true>;

export const SMS_DRIVERS: Record<string, (config: Config) => SmsDriver> = {
  log: () => new LogSmsDriver(),
  webhook: (config) => new WebhookSmsDriver(config.getOrThrow('SMS_WEBHOOK_URL', { infer: true })),
};

export const smsDriverProvider: Provider = {
  provide: SMS_DRIVER,
  inject: [ConfigService],
  useFactory: (config: Config): SmsDriver => {
    const name = config.get('SMS_DRIVER', { infer: true });
    const create = SMS_DRIVERS[name];
    if (!create) throw new Error(`unknown SMS_DRIVER ${name}: one of ${Object.keys(SMS_DRIVERS).join(', ')}`);
    return create(config);
  },
};
