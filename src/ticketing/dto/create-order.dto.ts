import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { hasExactKeys, isIntBetween, registerFastPath } from '../../common/fast-validation';

/** The most seats one request may hold; also the per-user cap of a showtime. */
export const MAX_SEATS_PER_USER = 6;

/** A seat asked for in a hold (named apart from the halls' SeatChoiceDto: Swagger keys schemas by class name). */
export class SeatChoiceDto {
  /** row, from 1 */
  @IsInt()
  @Min(1)
  @Max(50)
  row!: number;

  /** column, from 1 */
  @IsInt()
  @Min(1)
  @Max(50)
  col!: number;

  /** one of the showtime's ticket types (student, child...); none: full price */
  @IsOptional()
  @IsString()
  @Length(1, 20)
  ticketType?: string;
}

export class CreateOrderDto {
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  scheduleId!: number;

  /** 1–6 distinct seats of the showtime's hall */
  @ApiProperty({ type: [SeatChoiceDto], minItems: 1, maxItems: MAX_SEATS_PER_USER })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SEATS_PER_USER)
  @ArrayUnique((seat: SeatChoiceDto) => (seat && typeof seat === 'object' ? `${seat.row}:${seat.col}` : seat), {
    message: 'seats must be distinct',
  })
  @ValidateNested({ each: true })
  @Type(() => SeatChoiceDto)
  seats!: SeatChoiceDto[];

  /** a voucher code, in any case */
  @IsOptional()
  @IsString()
  @Length(1, 32)
  voucherCode?: string;
}

// POST /orders is the rush's hottest write: a well-formed hold skips the full validation.
registerFastPath(CreateOrderDto, (value) => {
  if (!hasExactKeys(value, ['scheduleId', 'seats'] as const)) return undefined;
  const { scheduleId, seats } = value;
  if (!isIntBetween(scheduleId, 1, 2_147_483_647) || !Array.isArray(seats)) return undefined;
  if (seats.length < 1 || seats.length > MAX_SEATS_PER_USER) return undefined;
  const seen = new Set<string>();
  const choices: SeatChoiceDto[] = [];
  for (const seat of seats as unknown[]) {
    if (!hasExactKeys(seat, ['row', 'col'] as const)) return undefined;
    const { row, col } = seat;
    if (!isIntBetween(row, 1, 50) || !isIntBetween(col, 1, 50) || seen.has(`${row}:${col}`)) return undefined;
    seen.add(`${row}:${col}`);
    choices.push(Object.assign(new SeatChoiceDto(), { row, col }));
  }
  return Object.assign(new CreateOrderDto(), { scheduleId, seats: choices });
});
