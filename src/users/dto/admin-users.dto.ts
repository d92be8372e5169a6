import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { ROLES, type Role } from '../../common/decorators/auth.decorators';
import { PageQueryDto } from '../../common/pagination';

export class UserListQueryDto extends PageQueryDto {
  /** part of the name, nickname, phone or email (case-insensitive) */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;
}

/** Optional, but unlike @IsOptional() an explicit null is checked (1002) rather than sent to a NOT NULL column. */
const given = (_: object, value: unknown) => value !== undefined;

export class AdminUpdateUserDto {
  /** changing it revokes every token the user holds */
  @ApiPropertyOptional({ enum: ROLES })
  @ValidateIf(given)
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  /** a disabled user cannot log in and its tokens answer 1007 */
  @ValidateIf(given)
  @IsBoolean()
  disabled?: boolean;
}
