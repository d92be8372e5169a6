import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../config/env.validation';
import { MailSender } from './mail.sender';

describe('MailSender without SMTP_URL', () => {
  const config = (env: Record<string, string>) =>
    ({ get: (key: string) => ({ MAIL_FROM: 'TTMS <no-reply@ttms.local>', ...env })[key] }) as unknown as ConfigService<
      EnvironmentVariables,
      true
    >;

  afterEach(() => jest.restoreAllMocks());

  it('should warn at start in production that emails go to the log', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    new MailSender(config({ NODE_ENV: 'production' })).onModuleInit();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/SMTP_URL is not set/));
  });

  it('should stay quiet in development and log the code instead of sending it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation();
    const sender = new MailSender(config({ NODE_ENV: 'development' }));
    sender.onModuleInit();
    await sender.send({ to: 'a@b.c', subject: 'code', text: '123456' }, 'email code for a@b.c: 123456');
    expect(warn).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('123456'));
  });
});
