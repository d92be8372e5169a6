import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createTransport, Transporter } from 'nodemailer';
import { EnvironmentVariables } from '../../config/env.validation';
import { CodeMessage, codeText } from './code-message';

/** Email codes over SMTP (SMTP_URL); without it they go to the log, a development aid only. */
@Injectable()
export class MailSender implements OnModuleInit {
  private readonly logger = new Logger(MailSender.name);
  private readonly transport?: Transporter;
  private readonly from: string;

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
      this.logger.warn('SMTP_URL is not set: email codes are written to the log instead of being sent');
    }
  }

  async sendCode(email: string, message: CodeMessage): Promise<void> {
    if (!this.transport) {
      this.logger.log(`email code for ${email} (${message.purpose}): ${message.code} [SMTP_URL unset]`);
      return;
    }
    await this.transport.sendMail({
      from: this.from,
      to: email,
      subject: 'Your TTMS verification code',
      text: codeText(message),
    });
  }
}
