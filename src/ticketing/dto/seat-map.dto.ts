import { ApiProperty } from '@nestjs/swagger';

export const SEAT_STATUSES = ['available', 'held', 'sold', 'disabled'] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];

export class SeatStateDto {
  row!: number;
  col!: number;
  @ApiProperty({ enum: SEAT_STATUSES })
  status!: SeatStatus;
}

export class SeatMapDto {
  scheduleId!: number;
  rows!: number;
  cols!: number;
  /** price per seat, in yuan */
  @ApiProperty({ example: 45.5 })
  price!: number;
  /** every seat of the grid, row by row */
  @ApiProperty({ type: [SeatStateDto] })
  seats!: SeatStateDto[];
}
