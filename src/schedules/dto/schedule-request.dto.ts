import { Type } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IsCalendarDay, IsInstantWithOffset } from '../../common/time';

const MAX_PRICE_YUAN = 100_000;
/** More than 0 with at most 2 decimals is at least one fen. */
const MIN_PRICE_YUAN = 0.01;
const given = (_: object, value: unknown) => value !== undefined;

export class CreateScheduleDto {
  @IsInt()
  @Min(1)
  movieId!: number;

  @IsInt()
  @Min(1)
  hallId!: number;

  /** with an offset; not in the past */
  @ApiProperty({ example: '2026-12-01T19:30:00+08:00' })
  @IsInstantWithOffset()
  startsAt!: string;

  /** yuan per ticket, more than 0, at most 2 decimals */
  @ApiProperty({ example: 45.5 })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(MIN_PRICE_YUAN)
  @Max(MAX_PRICE_YUAN)
  price!: number;
}

/** Moving (time or hall) is refused once tickets are sold or held; a price change reaches new orders only. */
export class UpdateScheduleDto {
  /** with an offset; not in the past */
  @ApiPropertyOptional({ example: '2026-12-01T19:30:00+08:00' })
  @ValidateIf(given)
  @IsInstantWithOffset()
  startsAt?: string;

  /** yuan per ticket, more than 0, at most 2 decimals */
  @ValidateIf(given)
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(MIN_PRICE_YUAN)
  @Max(MAX_PRICE_YUAN)
  price?: number;

  /** another hall of the same cinema */
  @ValidateIf(given)
  @IsInt()
  @Min(1)
  hallId?: number;
}

export class ScheduleListQueryDto extends PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  movieId?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  cinemaId?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  hallId?: number;

  /** a calendar day in APP_TIMEZONE (all of that day's showtimes); without it, those not yet ended */
  @IsOptional()
  @IsCalendarDay()
  date?: string;
}

export class HallDayQueryDto {
  /** a calendar day in APP_TIMEZONE; default today */
  @IsOptional()
  @IsCalendarDay()
  date?: string;
}
