import { ApiProperty } from '@nestjs/swagger';

export const SEAT_STATUSES = ['available', 'held', 'sold', 'disabled'] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];

export const PAIR_SIDES = ['left', 'right'] as const;

export class SeatStateDto {
  row!: number;
  col!: number;
  @ApiProperty({ enum: SEAT_STATUSES })
  status!: SeatStatus;
  /** the seat's zone (`standard` when in no named zone) */
  zone!: string;
  /** its zone's price in yuan (before a ticket type's discount) */
  @ApiProperty({ example: 45.5 })
  price!: number;
  /** `left` or `right` for a couple seat, held only together with its pair; null otherwise */
  // OpenAPI 3.0.3: a nullable enum lists null among its values, or null validates against nothing.
  @ApiProperty({ enum: [...PAIR_SIDES, null], nullable: true, type: String })
  pair!: 'left' | 'right' | null;
}

export class SeatMapZoneDto {
  name!: string;
  /** yuan per seat of the zone */
  price!: number;
}

export class SeatMapTicketTypeDto {
  name!: string;
  /** yuan off a seat's zone price */
  discount!: number;
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
  /** every zone that has seats, `standard` included, with its price */
  @ApiProperty({ type: [SeatMapZoneDto] })
  zones!: SeatMapZoneDto[];
  /** the showtime's ticket types */
  @ApiProperty({ type: [SeatMapTicketTypeDto] })
  ticketTypes!: SeatMapTicketTypeDto[];
}
