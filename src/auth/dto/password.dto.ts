import { IsNotEmpty, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { IsAccountEmail, IsMainlandPhone, IsNewPassword, IsVerificationCode } from '../../users/dto/account-fields';

export class VerifyResetCodeDto {
  /** phone or email: the one the reset code went to */
  @ValidateIf((o: VerifyResetCodeDto) => o.phone !== undefined || o.email === undefined)
  @IsMainlandPhone({ required: false })
  phone?: string;

  @ValidateIf((o: VerifyResetCodeDto) => o.email !== undefined)
  @IsAccountEmail({ required: false })
  email?: string;

  @IsVerificationCode()
  code!: string;
}

export class ResetTokenDto {
  /** valid 15 minutes, for POST /auth/password/reset */
  resetToken!: string;
}

export class ResetPasswordDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  resetToken!: string;

  @IsNewPassword()
  password!: string;
}

export class ChangePasswordDto {
  @IsString()
  @Length(1, 128)
  oldPassword!: string;

  @IsNewPassword()
  password!: string;
}
