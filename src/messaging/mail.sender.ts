import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createTransport, Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { EnvironmentVariables } from '../config/env.validation';

/** Email over SMTP (SMTP_URL); without it a line goes to the log instead, a development aid only. */
@Injectable()
export class MailSender implements OnModuleInit {
  private readonly logger = new Logger(MailSender.name);
  private readonly transport?: Transporter;
  readonly from: string;

  constructor(private readonly config: ConfigService<EnvironmentVariables, true>) {
    const url = config.get('SMTP_URL', { infer: true });
    this.from = config.get('MAIL_FROM', { infer: true });
    if (url) {
      this.transport = createTransport({
        url,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      });
    }
  }

  onModuleInit(): void {
    if (!this.transport && this.config.get('NODE_ENV', { infer: true }) === 'production') {
      this.logger.warn('SMTP_URL is not set: emails are written to the log instead of being sent');
    }
  }

  /** `unsentLine` is what the log says without SMTP_URL: what a developer needs from the mail. */
  async send(mail: Mail.Options, unsentLine: string): Promise<void> {
    if (!this.transport) {
      this.logger.log(`${unsentLine} [SMTP_URL unset]`);
      return;
    }
    await this.transport.sendMail({ from: this.from, ...mail });
  }
}
