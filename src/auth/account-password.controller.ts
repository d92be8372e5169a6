import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Public } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { AccountPasswordService } from './account-password.service';
import { ChangePasswordDto, ResetPasswordDto, ResetTokenDto, VerifyResetCodeDto } from './dto/password.dto';
import { RateLimit } from './rate-limit';

@ApiTags('auth')
@Controller()
export class AccountPasswordController {
  constructor(private readonly accountPasswords: AccountPasswordService) {}

  @Post('auth/password/verify-code')
  @Public()
  @HttpCode(200)
  @RateLimit('login')
  @ApiOperation({ summary: 'Trade a reset code (phone or email) for a reset token valid 15 minutes' })
  @ApiEnvelope(ResetTokenDto, {
    errors: [ResultCode.NotRegistered, ResultCode.CodeIncorrect, ResultCode.TooManyAttempts],
  })
  verifyResetCode(@Body() dto: VerifyResetCodeDto): Promise<ResetTokenDto> {
    return this.accountPasswords.verifyResetCode(dto);
  }

  @Post('auth/password/reset')
  @Public()
  @HttpCode(200)
  @RateLimit('login')
  @ApiOperation({ summary: 'Set a new password with a reset token; every earlier token of the user is revoked' })
  @ApiEnvelope(null, { errors: [ResultCode.NotLoggedIn, ResultCode.TokenExpired] })
  reset(@Body() dto: ResetPasswordDto): Promise<null> {
    return this.accountPasswords.reset(dto);
  }

  @Post('users/me/password')
  @Auth()
  @HttpCode(200)
  @ApiTags('users')
  @ApiOperation({ summary: 'Change the caller’s password (needs the old one)' })
  @ApiEnvelope(null, { errors: [ResultCode.WrongCredentials] })
  change(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<null> {
    return this.accountPasswords.change(user.id, dto);
  }
}
