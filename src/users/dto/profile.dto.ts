import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { Gender } from '../entities/user.entity';
import { IsAccountName, IsGender, IsNickname } from './account-fields';

export class UpdateProfileDto {
  @IsOptional()
  @IsAccountName({ required: false })
  name?: string;

  @IsOptional()
  @IsNickname({ required: false })
  nickname?: string | null;

  @IsOptional()
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
