import { Injectable } from '@nestjs/common';
import { AppException } from '../common/app.exception';
import { ResultCode } from '../common/result-code';
import { TransactionRunner } from '../database/transaction-runner';
import { UsersService } from '../users/users.service';
import { CodesService } from './codes.service';
import { ChangePasswordDto, ResetPasswordDto, ResetTokenDto, VerifyResetCodeDto } from './dto/password.dto';
import { PasswordService } from './password.service';
import { TokenService } from './token.service';

/** A forgotten password (code, then reset token, then new password) and a known one changed. */
@Injectable()
export class AccountPasswordService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly codes: CodesService,
  ) {}

  async verifyResetCode(dto: VerifyResetCodeDto): Promise<ResetTokenDto> {
    if (dto.phone !== undefined && dto.email !== undefined) {
      const message = 'give phone or email, not both';
      throw new AppException(ResultCode.InvalidParams, message, [{ field: 'email', message }]);
    }
    const user = dto.phone ? await this.users.findByPhone(dto.phone) : await this.users.findByEmail(dto.email!);
    if (!user) throw new AppException(ResultCode.NotRegistered);
    await this.codes.verify((dto.phone ?? dto.email)!, 'reset', dto.code);
    return { resetToken: await this.tokens.issueReset(user) };
  }

  /** Bumps the token version: the reset token works once, and every earlier session token dies. */
  async reset(dto: ResetPasswordDto): Promise<null> {
    const claims = await this.tokens.verify(dto.resetToken);
    if (claims.purpose !== 'reset') throw new AppException(ResultCode.NotLoggedIn, 'not a password reset token');
    const passwordHash = await this.passwords.hash(dto.password);
    const applied = await this.runner.run((manager) =>
      this.users.resetPassword(manager, claims.sub, claims.ver, passwordHash),
    );
    if (!applied) throw new AppException(ResultCode.NotLoggedIn, 'reset token already used or revoked');
    return null;
  }

  /** Keeps the caller's sessions: the contract answers `null`, with no new token to carry on with. */
  async change(userId: number, dto: ChangePasswordDto): Promise<null> {
    const user = await this.users.findById(userId);
    if (!user) throw new AppException(ResultCode.NotLoggedIn);
    if (!(await this.passwords.verify(user.passwordHash, dto.oldPassword))) {
      throw new AppException(ResultCode.WrongCredentials, 'old password is wrong');
    }
    const passwordHash = await this.passwords.hash(dto.password);
    await this.runner.run((manager) => this.users.setPasswordHash(manager, userId, passwordHash, false));
    return null;
  }
}
