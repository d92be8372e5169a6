import { AppException } from '../common/app.exception';
import { TransactionRunner } from '../database/transaction-runner';
import { type User, UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { CaptchaService } from './captcha.service';
import { CodesService } from './codes.service';
import { PasswordService } from './password.service';
import { SessionRepository } from './session.repository';
import { TokenService } from './token.service';

describe('AuthService.login', () => {
  const users = { findByAccount: jest.fn() };
  const passwords = { verify: jest.fn(), verifyAgainstNothing: jest.fn().mockResolvedValue(false) };
  const tokens = { issueSession: jest.fn().mockResolvedValue({ token: 'jwt', expiresIn: 60, tokenId: 'id' }) };
  const captchas = { consume: jest.fn() };
  const service = new AuthService(
    {} as TransactionRunner,
    users as unknown as UsersService,
    passwords as unknown as PasswordService,
    tokens as unknown as TokenService,
    {} as SessionRepository,
    captchas as unknown as CaptchaService,
    {} as CodesService,
  );
  const body = { account: 'alice', password: 'Secret123', captchaId: 'c', captchaCode: 'abcd' };
  const user = {
    id: 1,
    name: 'alice',
    role: 'customer',
    disabled: false,
    passwordHash: 'h',
    createdAt: new Date(),
  } as User;
  const codeOf = (promise: Promise<unknown>) => promise.catch((e: AppException) => e.result.code);

  beforeEach(() => jest.clearAllMocks());

  it('should burn a hash on an unknown account and answer 1005 like a wrong password', async () => {
    users.findByAccount.mockResolvedValue(null);
    await expect(codeOf(service.login(body))).resolves.toBe(1005);
    expect(passwords.verifyAgainstNothing).toHaveBeenCalledWith('Secret123');
    users.findByAccount.mockResolvedValue(user);
    passwords.verify.mockResolvedValue(false);
    await expect(codeOf(service.login(body))).resolves.toBe(1005);
  });

  it('should check the captcha before looking the account up', async () => {
    captchas.consume.mockRejectedValueOnce(new Error('1009'));
    await expect(service.login(body)).rejects.toThrow('1009');
    expect(users.findByAccount).not.toHaveBeenCalled();
  });

  it('should answer 1013 to a disabled user only after the password matched', async () => {
    users.findByAccount.mockResolvedValue({ ...user, disabled: true });
    passwords.verify.mockResolvedValue(true);
    await expect(codeOf(service.login(body))).resolves.toBe(1013);
    expect(tokens.issueSession).not.toHaveBeenCalled();
  });
});
