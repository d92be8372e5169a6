import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CaptchaQueryDto {
  /** `svg` answers the image itself (image/svg+xml) with the id in the X-Captcha-Id header */
  @ApiPropertyOptional({ enum: ['json', 'svg'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'svg'], { message: 'format must be json or svg' })
  format?: 'json' | 'svg';
}

export class CaptchaDto {
  /** send it back with the answer */
  captchaId!: string;
  /** a data:image/svg+xml;base64, URL to put in an <img src> */
  image!: string;
}

export class VerifyCaptchaDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  captchaId!: string;

  /** the 4 characters in the image, in any case */
  @IsString()
  @Length(1, 16)
  code!: string;
}

export class CaptchaVerdictDto {
  valid!: boolean;
}
