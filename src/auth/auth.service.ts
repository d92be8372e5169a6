import { Injectable } from '@nestjs/common';
import { AppException } from '../common/app.exception';
import { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { TransactionRunner } from '../database/transaction-runner';
import { toUserDto } from '../users/dto/user.dto';
import { IdentityKeys, type User, UsersService } from '../users/users.service';
import { CaptchaService } from './captcha.service';
import { codeFailure, CodesService, CodeVerdict } from './codes.service';
import { AvailabilityDto, AvailabilityQueryDto, isCodeLogin, LoginDto, RegisterDto, SessionDto } from './dto/auth.dto';
import { PasswordService } from './password.service';
import { SessionRepository } from './session.repository';
import { TokenService } from './token.service';

/** Sign-up, log-in and log-out. */
@Injectable()
export class AuthService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly sessions: SessionRepository,
    private readonly captchas: CaptchaService,
    private readonly codes: CodesService,
  ) {}

  availability(query: AvailabilityQueryDto): Promise<AvailabilityDto> {
    if (!query.name && !query.phone && !query.email) {
      const message = 'give name, phone or email';
      throw new AppException(ResultCode.InvalidParams, message, [{ field: 'name', message }]);
    }
    return this.users.availability(query);
  }

  /**
   * The unique indexes decide a race: the loser's insert fails (1004/1003) and rolls back, leaving
   * its code unused. A code check that fails inside is returned rather than thrown, so that its
   * wrong-try count commits.
   */
  async register(dto: RegisterDto): Promise<SessionDto> {
    const keys: IdentityKeys = { name: dto.name, phone: dto.phone, email: dto.email };
    await this.users.assertIdentitiesFree(keys);
    const passwordHash = await this.passwords.hash(dto.password);
    const proofs = [
      ...(dto.phone ? [{ target: dto.phone, code: dto.smsCode! }] : []),
      ...(dto.email ? [{ target: dto.email, code: dto.emailCode! }] : []),
    ];
    const outcome = await this.runner.run(async (manager): Promise<User | CodeVerdict> => {
      for (const proof of proofs) {
        const verdict = await this.codes.check(manager, proof.target, 'register', proof.code);
        if (verdict !== 'ok') return verdict;
      }
      const { name, phone, email, nickname, gender } = dto;
      return this.users.create(manager, { name, phone, email, nickname, gender, passwordHash });
    });
    if (typeof outcome === 'string') {
      // The same phone registering twice at once: the winner used the code; the loser hears why.
      await this.users.assertIdentitiesFree(keys);
      throw codeFailure(outcome as Exclude<CodeVerdict, 'ok'>);
    }
    return this.startSession(outcome);
  }

  async login(dto: LoginDto): Promise<SessionDto> {
    if (isCodeLogin(dto)) return this.loginWithCode(dto);
    await this.captchas.consume(dto.captchaId!, dto.captchaCode!);
    const user = await this.users.findByAccount(dto.account!);
    // Unknown account and wrong password answer alike and take the same hashing time.
    const valid = user
      ? await this.passwords.verify(user.passwordHash, dto.password!)
      : await this.passwords.verifyAgainstNothing(dto.password!);
    if (!user || !valid) throw new AppException(ResultCode.WrongCredentials);
    return this.startSession(user);
  }

  async logout(user: AuthUser): Promise<null> {
    await this.runner.run((manager) =>
      this.sessions.revoke(manager, { tokenId: user.tokenId, userId: user.id, expiresAt: user.expiresAt }),
    );
    return null;
  }

  private async loginWithCode(dto: LoginDto): Promise<SessionDto> {
    const target = dto.phone ?? dto.email!;
    const user = dto.phone ? await this.users.findByPhone(dto.phone) : await this.users.findByEmail(target);
    if (!user) throw new AppException(ResultCode.NotRegistered);
    await this.codes.verify(target, 'login', (dto.smsCode ?? dto.emailCode)!);
    return this.startSession(user);
  }

  private async startSession(user: User): Promise<SessionDto> {
    if (user.disabled) throw new AppException(ResultCode.PermissionDenied, 'this account is disabled');
    const { token, expiresIn } = await this.tokens.issueSession(user);
    return { token, expiresIn, user: toUserDto(user) };
  }
}
