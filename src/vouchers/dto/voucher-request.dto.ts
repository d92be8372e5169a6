import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IsInstantWithOffset } from '../../common/time';
import { Trim } from '../../common/transforms';
import type { VoucherKind } from '../entities/voucher.entity';

export const VOUCHER_KINDS: readonly VoucherKind[] = ['amount', 'percent'];
export const MAX_VOUCHER_USES = 100_000_000;
/** A voucher cannot take more off than the dearest order could cost. */
export const MAX_VOUCHER_YUAN = 100_000;
/** An order holds at most 6 seats (CONTRACT section 7). */
const MAX_SEATS = 6;
const MAX_ID = 2_147_483_647;

/** Optional, but unlike @IsOptional() an explicit null is checked (1002) rather than sent to a NOT NULL column. */
const given = (_: object, value: unknown) => value !== undefined;
/** Optional and nullable: null clears it (no bound). */
const present = (_: object, value: unknown) => value !== undefined && value !== null;

/** `true` and `false` as a query string sends them. */
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class CreateVoucherDto {
  /** the cinema it holds in; required for merchants (their own cinema); an admin's voucher without one holds in every cinema */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  cinemaId?: number | null;

  /** only orders for this movie; any movie when absent */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  movieId?: number | null;

  /** 4–32 of A–Z and 0–9, in any case, kept upper case and unique across the platform; generated (10 characters) when absent */
  @ApiPropertyOptional({ example: 'SPRING2027', pattern: '^[A-Za-z0-9]{4,32}$' })
  @ValidateIf(given)
  @Trim()
  @IsString()
  @Matches(/^[A-Za-z0-9]{4,32}$/, { message: 'code must be 4–32 letters A–Z or digits 0–9' })
  code?: string;

  /** `amount`: `value` yuan off the order; `percent`: `value` % off, rounded half up to the fen */
  @ApiProperty({ enum: VOUCHER_KINDS })
  @IsIn(VOUCHER_KINDS, { message: `kind must be one of ${VOUCHER_KINDS.join(', ')}` })
  kind!: VoucherKind;

  /** `amount`: yuan, more than 0, at most 2 decimals; `percent`: a whole number 1–99 */
  @ApiProperty({ example: 10.5 })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(MAX_VOUCHER_YUAN)
  value!: number;

  /** how many orders may carry it at once (pending before their expiry, or paid); at least 1 */
  @ApiProperty({ example: 100 })
  @IsInt()
  @Min(1)
  @Max(MAX_VOUCHER_USES)
  maxUses!: number;

  /** how many of them one customer's orders may be; default 1 */
  @ValidateIf(given)
  @IsInt()
  @Min(1)
  @Max(MAX_VOUCHER_USES)
  perUserMaxUses?: number;

  /** the fewest seats an order needs to use it, 1–6; default 1 */
  @ValidateIf(given)
  @IsInt()
  @Min(1)
  @Max(MAX_SEATS)
  minSeats?: number;

  /** with an offset; valid from the start when absent */
  @ApiPropertyOptional({ example: '2027-01-01T00:00:00+08:00', nullable: true })
  @ValidateIf(present)
  @IsInstantWithOffset()
  validFrom?: string | null;

  /** with an offset, after `validFrom`; valid for good when absent */
  @ApiPropertyOptional({ example: '2027-02-01T00:00:00+08:00', nullable: true })
  @ValidateIf(present)
  @IsInstantWithOffset()
  validTo?: string | null;
}

export class UpdateVoucherDto {
  /** not below the voucher's current `uses` */
  @ValidateIf(given)
  @IsInt()
  @Min(1)
  @Max(MAX_VOUCHER_USES)
  maxUses?: number;

  /** with an offset, after `validFrom`; `null`: valid for good */
  @ApiPropertyOptional({ example: '2027-02-01T00:00:00+08:00', nullable: true })
  @ValidateIf(present)
  @IsInstantWithOffset()
  validTo?: string | null;

  /** an inactive voucher applies to no new hold */
  @ValidateIf(given)
  @IsBoolean()
  active?: boolean;
}

export class VoucherListQueryDto extends PageQueryDto {
  /** only this cinema's vouchers (a merchant's own cinema) */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  cinemaId?: number;

  /** `true` or `false`; both when absent */
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}
