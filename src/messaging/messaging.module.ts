import { Module } from '@nestjs/common';
import { MailSender } from './mail.sender';
import { smsDriverProvider, SMS_DRIVER } from './sms.sender';

/** The ways TTMS reaches a person: email (SMTP_URL) and SMS (SMS_DRIVER), for codes and tickets alike. */
@Module({
  providers: [MailSender, smsDriverProvider],
  exports: [MailSender, SMS_DRIVER],
})
export class MessagingModule {}
