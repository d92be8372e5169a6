import { Logger, Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../config/env.validation';

/** What a gateway is asked to send: the phone, what for, and the purpose's own fields (a code, a text). */
export interface SmsMessage {
  phone: string;
  purpose: string;
  [field: string]: string;
}

/** An SMS gateway. A real provider is one more class here and one more entry in SMS_DRIVERS. */
export interface SmsDriver {
  send(message: SmsMessage): Promise<void>;
}

export const SMS_DRIVER = Symbol('SMS_DRIVER');

/**
 * Development: the message goes to the log. A verification code is shown (that is the point in
 * development); a ticket code is not, since it gets its holder into the cinema.
 */
export class LogSmsDriver implements SmsDriver {
  private readonly logger = new Logger('SmsLog');

  send({ phone, purpose, code, text, ticketCode }: SmsMessage): Promise<void> {
    if (code) {
      this.logger.log(`SMS code for ${phone} (${purpose}): ${code} [SMS_DRIVER=log]`);
    } else {
      const shown = ticketCode ? text.split(ticketCode).join('<ticket code>') : text;
      this.logger.log(`SMS for ${phone} (${purpose}): ${shown} [SMS_DRIVER=log]`);
    }
    return Promise.resolve();
  }
}

/** POSTs the message as JSON to SMS_WEBHOOK_URL, for a gateway of your own. */
export class WebhookSmsDriver implements SmsDriver {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(message: SmsMessage): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(message),
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
