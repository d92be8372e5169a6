import { Type } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IsCalendarDay, IsInstantWithOffset } from '../../common/time';

const MAX_PRICE_YUAN = 100_000;
/** More than 0 with at most 2 decimals is at least one fen. */
const MIN_PRICE_YUAN = 0.01;
const given = (_: object, value: unknown) => value !== undefined;

const isPrice = (value: unknown) =>
  typeof value === 'number' &&
  Number.isFinite(value) &&
  value >= MIN_PRICE_YUAN &&
  value <= MAX_PRICE_YUAN &&
  Math.round(value * 100) === Number((value * 100).toFixed(6));

/** `{ "<zone>": price }`: at most 10 zones, each price more than 0 with at most 2 decimals. */
function IsZonePrices(): PropertyDecorator {
  return ValidateBy({
    name: 'isZonePrices',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= 10 &&
        Object.entries(value).every(([zone, price]) => zone.length >= 1 && zone.length <= 20 && isPrice(price)),
      defaultMessage: () =>
        'zonePrices must map zone names to prices in yuan (more than 0, at most 2 decimals, at most 10 zones)',
    },
  });
}

export class TicketTypeInput {
  /** 1–20 characters, unique in the showtime (student, child, senior...) */
  @IsString()
  @Length(1, 20)
  name!: string;

  /** yuan off a seat's zone price, at most 2 decimals; must leave every zone at least 0.01 */
  @ApiProperty({ example: 10 })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(MIN_PRICE_YUAN)
  @Max(MAX_PRICE_YUAN)
  discount!: number;
}

/** Zone prices and ticket types, on POST and PATCH (PATCH replaces each one sent; later holds only). */
class ShowtimePricingInput {
  /** price in yuan per named zone of the hall; a zone without one sells at `price` */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, example: { VIP: 80 } })
  @ValidateIf(given)
  @IsZonePrices()
  zonePrices?: Record<string, number>;

  /** ticket types with their discount off a seat's zone price */
  @ApiPropertyOptional({ type: [TicketTypeInput] })
  @ValidateIf(given)
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => TicketTypeInput)
  ticketTypes?: TicketTypeInput[];
}

export class CreateScheduleDto extends ShowtimePricingInput {
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
export class UpdateScheduleDto extends ShowtimePricingInput {
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
