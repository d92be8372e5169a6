import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { MAX_ZONES } from '../hall-layout';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const MAX_GRID = 50;

export class SeatPositionInput {
  /** row number, counting from 1 */
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  row!: number;

  /** seat number within the row, counting from 1 */
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  col!: number;
}

export class HallZoneInput {
  /** 1–20 characters, unique in the hall, not `standard` (the zone of seats in no zone) */
  @Transform(trim)
  @IsString()
  @Length(1, 20)
  name!: string;

  /** the zone's seats: inside the grid, not disabled, each in at most one zone */
  @IsArray()
  @ArrayMaxSize(MAX_GRID * MAX_GRID)
  @ValidateNested({ each: true })
  @Type(() => SeatPositionInput)
  seats!: SeatPositionInput[];
}

export class CreateHallDto {
  @IsInt()
  @Min(1)
  cinemaId!: number;

  /** 1–50 characters, unique within the cinema */
  @Transform(trim)
  @IsString()
  @Length(1, 50)
  name!: string;

  /** 1–50 */
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  rows!: number;

  /** 1–50 */
  @IsInt()
  @Min(1)
  @Max(MAX_GRID)
  cols!: number;

  /** Seats that are never on sale (aisles, broken seats): inside the grid, each once. Default none. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_GRID * MAX_GRID)
  @ValidateNested({ each: true })
  @Type(() => SeatPositionInput)
  disabledSeats?: SeatPositionInput[];

  /** `null` clears it */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  /** Named zones (at most 10), priced per showtime; seats in no zone are in zone `standard`. On PATCH, replaces them. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ZONES)
  @ValidateNested({ each: true })
  @Type(() => HallZoneInput)
  zones?: HallZoneInput[];

  /** Couple seats: each the left seat of a pair with (row, col + 1), sold together; both in one zone. On PATCH, replaces them. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize((MAX_GRID * MAX_GRID) / 2)
  @ValidateNested({ each: true })
  @Type(() => SeatPositionInput)
  couples?: SeatPositionInput[];
}

/** Everything but `cinemaId`: a hall does not move to another cinema (sending it answers 1002). */
export class UpdateHallDto extends PartialType(OmitType(CreateHallDto, ['cinemaId'] as const)) {}

export class HallListQueryDto {
  /** the cinema whose halls to list */
  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  cinemaId!: number;

  /** 1-based page number; without `page` and `pageSize` every hall of the cinema comes back */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  /** items per page (at most 100; default 20 when `page` is given) */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize?: number;
}
