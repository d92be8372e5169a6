import { Logger } from '@nestjs/common';
import { LogSmsDriver } from './sms.sender';

describe('LogSmsDriver', () => {
  afterEach(() => jest.restoreAllMocks());

  it('should log a verification code (a development aid) but never a ticket code', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation();
    const driver = new LogSmsDriver();
    await driver.send({ phone: '13800000000', purpose: 'register', code: '123456' });
    await driver.send({
      phone: '13800000000',
      purpose: 'ticket',
      text: 'Dune, 19:30, hall 1, 2 seats, ticket 4821907736150294',
      ticketCode: '4821907736150294',
    });
    const lines = log.mock.calls.map(([line]) => String(line));
    // The README's curl tour reads codes from the log in this form.
    expect(lines[0]).toContain('SMS code for 13800000000 (register): 123456');
    expect(lines[1]).toContain('Dune');
    expect(lines.join('\n')).not.toContain('4821907736150294');
  });
});
