import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { centsToYuan } from '../../common/time';
import type { Cinema, CinemaStatus } from '../entities/cinema.entity';
import { Trim } from '../../common/transforms';
import { HTTP_URL, IfPresent } from './field-rules';

/** For modules that read a cinema's status; the entity stays catalog's own. */
export type { CinemaStatus };

export const CINEMA_STATUSES: readonly CinemaStatus[] = ['active', 'suspended', 'expired'];
/** Landlines with area code and extension as well as mobiles: digits, spaces, + - ( ). */
export const PHONE_LIKE = /^[0-9+\-() ]{3,30}$/;

export class CinemaQueryDto extends PageQueryDto {
  /** exact city name, e.g. Shanghai */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(50)
  city?: string;

  /** only cinemas with a future showtime of this movie; beginPrice then counts that movie only */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  movieId?: number;
}

export class CreateCinemaDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  city!: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  address!: string;

  /** an existing user who runs the cinema; a customer is made a merchant (and logs in again) */
  @IsOptional()
  @IsInt()
  @Min(1)
  ownerId?: number;
}

/** Profile fields; `null` clears one. `status` is for admins only (a merchant sending it: 1013). */
export class UpdateCinemaDto {
  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(255)
  logoUrl?: string | null;

  @IsOptional()
  @Trim()
  @Matches(PHONE_LIKE, { message: 'tel must be a phone number' })
  tel?: string | null;

  @IsOptional()
  @IsUrl(HTTP_URL)
  @MaxLength(255)
  website?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(50)
  contactName?: string | null;

  @IsOptional()
  @Trim()
  @Matches(PHONE_LIKE, { message: 'contactPhone must be a phone number' })
  @MaxLength(20)
  contactPhone?: string | null;

  /** where the platform settles the takings; shown to the owner and admins only */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  paymentAccount?: string | null;

  /** refuse a hold that would leave a single empty seat between taken ones in a row (2013) */
  @IsOptional()
  @IsBoolean()
  noSingleSeatGap?: boolean;

  /** admin only: a suspended or expired cinema is hidden from the public and sells nothing */
  @ApiProperty({ enum: CINEMA_STATUSES, required: false })
  @IfPresent()
  @IsIn(CINEMA_STATUSES)
  status?: CinemaStatus;
}

export class CinemaSummaryDto {
  id!: number;
  name!: string;
  city!: string;
  address!: string;
  /** lowest price in yuan of its future showtimes (of the movie asked for); null if none */
  beginPrice!: number | null;
}

export class CinemaDto {
  id!: number;
  name!: string;
  city!: string;
  address!: string;
  @ApiProperty({ enum: CINEMA_STATUSES })
  status!: CinemaStatus;
  logoUrl!: string | null;
  tel!: string | null;
  website!: string | null;
  description!: string | null;
  contactName!: string | null;
  contactPhone!: string | null;
  /** holds may not leave a single empty seat between taken ones in a row (2013) */
  noSingleSeatGap!: boolean;
  createdAt!: string;
  /** owner and admins only */
  ownerId?: number | null;
  /** owner and admins only */
  paymentAccount?: string | null;
}

export interface CinemaListRow {
  id: number;
  name: string;
  city: string;
  address: string;
  beginPriceCents: number | null;
}

export function toCinemaSummaryDto(row: CinemaListRow): CinemaSummaryDto {
  return {
    id: row.id,
    name: row.name,
    city: row.city,
    address: row.address,
    beginPrice: row.beginPriceCents === null ? null : centsToYuan(row.beginPriceCents),
  };
}

/** `managed`: the caller owns the cinema or is an admin, and may see how it is paid. */
export function toCinemaDto(cinema: Cinema, managed: boolean): CinemaDto {
  const dto: CinemaDto = {
    id: cinema.id,
    name: cinema.name,
    city: cinema.city,
    address: cinema.address,
    status: cinema.status,
    logoUrl: cinema.logoUrl,
    tel: cinema.tel,
    website: cinema.website,
    description: cinema.description,
    contactName: cinema.contactName,
    contactPhone: cinema.contactPhone,
    noSingleSeatGap: cinema.noSingleSeatGap,
    createdAt: cinema.createdAt.toISOString(),
  };
  if (managed) {
    dto.ownerId = cinema.ownerId;
    dto.paymentAccount = cinema.paymentAccount;
  }
  return dto;
}
