import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import {
  type Gender,
  IsAccountEmail,
  IsAccountName,
  IsGender,
  IsMainlandPhone,
  IsNewPassword,
  IsNickname,
  IsVerificationCode,
} from '../../users/dto/account-fields';
import { UserDto } from '../../users/dto/user.dto';

export class AvailabilityQueryDto {
  @ApiPropertyOptional({ example: 'alice' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  name?: string;

  @IsOptional()
  @IsMainlandPhone({ required: false })
  phone?: string;

  @IsOptional()
  @IsAccountEmail({ required: false })
  email?: string;
}

/** Only the ones asked about are present. */
export class AvailabilityDto {
  nameTaken?: boolean;
  phoneTaken?: boolean;
  emailTaken?: boolean;
}

const NEEDS_CONTACT = 'phone (with smsCode) or email (with emailCode) is required';

export class RegisterDto {
  @IsAccountName()
  name!: string;

  @IsNewPassword()
  password!: string;

  @ValidateIf((o: RegisterDto) => o.phone !== undefined || o.email === undefined)
  @IsDefined({ message: NEEDS_CONTACT })
  @IsMainlandPhone({ required: false })
  phone?: string;

  /** the register code sent to `phone` */
  @ValidateIf((o: RegisterDto) => o.phone !== undefined)
  @IsDefined({ message: 'smsCode is required with phone' })
  @IsVerificationCode('smsCode', { required: false })
  smsCode?: string;

  @ValidateIf((o: RegisterDto) => o.email !== undefined)
  @IsAccountEmail({ required: false })
  email?: string;

  /** the register code sent to `email` */
  @ValidateIf((o: RegisterDto) => o.email !== undefined)
  @IsDefined({ message: 'emailCode is required with email' })
  @IsVerificationCode('emailCode', { required: false })
  emailCode?: string;

  @IsOptional()
  @IsNickname({ required: false })
  nickname?: string;

  @IsOptional()
  @IsGender({ required: false })
  gender?: Gender;
}

/** Log in with account + password + captcha, or with a login code: phone + smsCode (or email + emailCode). */
export function isCodeLogin(o: LoginDto): boolean {
  const codeFields = [o.phone, o.smsCode, o.email, o.emailCode];
  return o.account === undefined && o.password === undefined && codeFields.some((v) => v !== undefined);
}
const byPassword = (o: LoginDto) => !isCodeLogin(o);

export class LoginDto {
  /** name, phone or email */
  @ApiPropertyOptional({ example: 'alice' })
  @ValidateIf(byPassword)
  @IsString()
  @Length(1, 254)
  account?: string;

  @ApiPropertyOptional({ example: 'Passw0rd!' })
  @ValidateIf(byPassword)
  @IsString()
  @Length(1, 128)
  password?: string;

  /** from GET /captcha; used up by this request, right or wrong */
  @ApiPropertyOptional()
  @ValidateIf(byPassword)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  captchaId?: string;

  @ApiPropertyOptional({ example: 'x7Kp' })
  @ValidateIf(byPassword)
  @IsString()
  @Length(1, 16)
  captchaCode?: string;

  @ValidateIf((o: LoginDto) => isCodeLogin(o) && (o.phone !== undefined || o.email === undefined))
  @IsMainlandPhone({ required: false })
  phone?: string;

  /** a `login` code sent to `phone` */
  @ValidateIf((o: LoginDto) => isCodeLogin(o) && o.phone !== undefined)
  @IsVerificationCode('smsCode', { required: false })
  smsCode?: string;

  @ValidateIf((o: LoginDto) => isCodeLogin(o) && o.email !== undefined)
  @IsAccountEmail({ required: false })
  email?: string;

  /** a `login` code sent to `email` */
  @ValidateIf((o: LoginDto) => isCodeLogin(o) && o.email !== undefined)
  @IsVerificationCode('emailCode', { required: false })
  emailCode?: string;
}

export class SessionDto {
  /** send as `Authorization: Bearer <token>` */
  token!: string;
  /** seconds until the token expires */
  expiresIn!: number;
  user!: UserDto;
}
