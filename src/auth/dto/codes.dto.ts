import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';
import { IsAccountEmail, IsMainlandPhone } from '../../users/dto/account-fields';
import type { CodePurpose } from '../entities/verification-code.entity';

export const CODE_PURPOSES: readonly CodePurpose[] = ['register', 'login', 'reset'];

const IsCodePurpose = () => IsIn(CODE_PURPOSES, { message: `purpose must be one of ${CODE_PURPOSES.join(', ')}` });

export class SmsCodeDto {
  @IsMainlandPhone()
  phone!: string;

  /** register: the phone must be new (else 1004); login and reset: it must be registered (else 1006) */
  @ApiProperty({ enum: CODE_PURPOSES })
  @IsCodePurpose()
  purpose!: CodePurpose;

  /** from GET /captcha; used up by this request, right or wrong */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  captchaId!: string;

  @IsString()
  @Length(1, 16)
  captchaCode!: string;
}

export class EmailCodeDto {
  @IsAccountEmail()
  email!: string;

  /** register: the email must be new (else 1003); login and reset: it must be registered (else 1006) */
  @ApiProperty({ enum: CODE_PURPOSES })
  @IsCodePurpose()
  purpose!: CodePurpose;
}

export class CodeSentDto {
  /** seconds the code stays valid */
  expiresIn!: number;
}
