import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, Length, Matches, MaxLength } from 'class-validator';
import type { Gender } from '../entities/user.entity';
import { Trim } from '../../common/transforms';

/** For modules that take a gender; the entity stays users' own. */
export type { Gender };

/** The account field rules of CONTRACT section 2, shared by registration, login, codes and profile DTOs. */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
export const GENDERS: readonly Gender[] = ['male', 'female', 'unknown'];
/** Not all digits (a phone-like name would be ambiguous at login), no `@` (an email), no control characters. */
const NAME_PATTERN = /^(?!\d+$)[^@\p{Cc}]+$/u;

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export interface FieldOptions {
  /** For Swagger only: whether the DTO requires the field (validation follows @IsOptional/@ValidateIf). */
  required?: boolean;
}

export const IsAccountName = ({ required = true }: FieldOptions = {}) =>
  applyDecorators(
    ApiProperty({
      required,
      example: 'alice',
      description: '2-20 characters, not all digits, no "@"; unique ignoring case',
    }),
    Trim(),
    IsString(),
    Length(2, 20, { message: 'name must be 2-20 characters' }),
    Matches(NAME_PATTERN, { message: 'name may not be all digits or contain "@"' }),
  );

export const IsMainlandPhone = ({ required = true }: FieldOptions = {}) =>
  applyDecorators(
    ApiProperty({
      required,
      example: '13800138000',
      pattern: PHONE_PATTERN.source,
      description: 'mainland mobile number',
    }),
    Trim(),
    IsString(),
    Matches(PHONE_PATTERN, { message: 'phone must be a mainland mobile number like 13800138000' }),
  );

export const IsAccountEmail = ({ required = true }: FieldOptions = {}) =>
  applyDecorators(
    ApiProperty({ required, example: 'alice@example.com', description: 'stored lower-cased' }),
    Transform(trimLower),
    IsString(),
    MaxLength(254),
    IsEmail({}, { message: 'email must be an email address' }),
  );

export const IsNewPassword = (field = 'password') =>
  applyDecorators(
    ApiProperty({ example: 'Passw0rd!', description: '8-64 characters with at least one letter and one digit' }),
    IsString(),
    Length(8, 64, { message: `${field} must be 8-64 characters` }),
    Matches(/\p{L}/u, { message: `${field} must contain a letter` }),
    Matches(/\d/, { message: `${field} must contain a digit` }),
  );

export const IsGender = ({ required = true }: FieldOptions = {}) =>
  applyDecorators(
    ApiProperty({ required, enum: GENDERS, example: 'unknown' }),
    IsIn(GENDERS, { message: `gender must be one of ${GENDERS.join(', ')}` }),
  );

export const IsNickname = ({ required = true }: FieldOptions = {}) =>
  applyDecorators(
    ApiProperty({ required, example: 'Ali', description: '1-40 characters; null clears it', nullable: true }),
    Trim(),
    IsString(),
    Length(1, 40, { message: 'nickname must be 1-40 characters' }),
  );

/** A 6-digit verification code. */
export const IsVerificationCode = (field = 'code', { required = true }: FieldOptions = {}) =>
  applyDecorators(
    ApiProperty({ required, example: '123456', pattern: '^\\d{6}$', description: '6 digits, from the SMS or email' }),
    IsString(),
    Matches(/^\d{6}$/, { message: `${field} must be 6 digits` }),
  );
