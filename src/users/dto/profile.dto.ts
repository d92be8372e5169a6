import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, ValidateIf } from 'class-validator';
import type { Gender } from '../entities/user.entity';
import { IsAccountName, IsGender, IsNickname } from './account-fields';

/** Optional, but unlike @IsOptional() an explicit null is checked (1002): only the nickname can be cleared. */
const given = (_: object, value: unknown) => value !== undefined;

export class UpdateProfileDto {
  @ValidateIf(given)
  @IsAccountName({ required: false })
  name?: string;

  @IsOptional()
  @IsNickname({ required: false })
  nickname?: string | null;

  @ValidateIf(given)
  @IsGender({ required: false })
  gender?: Gender;
}

export class AvatarDto {
  /** where the app serves the new avatar */
  avatarUrl!: string;
}

/** Swagger only: the multipart body of the avatar upload. */
export class AvatarUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'PNG, JPEG, WebP or GIF (by content), at most 2 MiB' })
  file!: unknown;
}
