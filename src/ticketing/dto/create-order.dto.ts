import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

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
}
