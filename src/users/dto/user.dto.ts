import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../common/decorators/auth.decorators';
import type { Gender, User } from '../entities/user.entity';
import { GENDERS } from './account-fields';

/** A user as every endpoint answers it: never the password hash nor the token version. */
export class UserDto {
  id!: number;
  /** unique ignoring case */
  name!: string;
  nickname!: string | null;
  @ApiProperty({ enum: GENDERS })
  gender!: Gender;
  phone!: string | null;
  email!: string | null;
  @ApiProperty({ enum: ROLES })
  role!: Role;
  /** path served by the app, like /uploads/avatars/<name>.png */
  avatarUrl!: string | null;
  /** a disabled user cannot log in */
  disabled!: boolean;
  @ApiProperty({ example: '2026-12-01T11:30:00.000Z' })
  createdAt!: string;
}

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    name: user.name,
    nickname: user.nickname,
    gender: user.gender,
    phone: user.phone,
    email: user.email,
    role: user.role,
    avatarUrl: user.avatarUrl,
    disabled: Boolean(user.disabled),
    createdAt: user.createdAt.toISOString(),
  };
}
