import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../../config/env.validation';
import { MailSender } from './mail.sender';

describe('MailSender without SMTP_URL', () => {
  const config = (env: Record<string, string>) =>
    ({ get: (key: string) => ({ MAIL_FROM: 'TTMS <no-reply@ttms.local>', ...env })[key] }) as unknown as ConfigService<
      EnvironmentVariables,
      true
    >;

  afterEach(() => jest.restoreAllMocks());

  it('should warn at start in production that codes go to the log', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    new MailSender(config({ NODE_ENV: 'production' })).onModuleInit();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/SMTP_URL is not set/));
  });

  it('should stay quiet in development and log the code instead of sending it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation();
    const sender = new MailSender(config({ NODE_ENV: 'development' }));
    sender.onModuleInit();
    await sender.sendCode('a@b.c', { code: '123456', purpose: 'reset', expiresInSeconds: 300 });
    expect(warn).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('123456'));
  });
});
