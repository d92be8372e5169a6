import { ApiProperty } from '@nestjs/swagger';
import type { Hall } from '../entities/hall.entity';

export class SeatPositionDto {
  /** row number, counting from 1 */
  row!: number;

  /** seat number within the row, counting from 1 */
  col!: number;
}

export class HallZoneDto {
  name!: string;
  @ApiProperty({ type: [SeatPositionDto] })
  seats!: SeatPositionDto[];
}

export class HallDto {
  id!: number;
  cinemaId!: number;
  /** unique within the cinema */
  name!: string;
  /** 1–50 */
  rows!: number;
  /** 1–50 */
  cols!: number;
  /** rows × cols less the disabled seats */
  seatCount!: number;

  /** aisles, broken seats: never on sale */
  @ApiProperty({ type: [SeatPositionDto] })
  disabledSeats!: SeatPositionDto[];

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  /** named zones only; every other seat is in zone `standard` */
  @ApiProperty({ type: [HallZoneDto] })
  zones!: HallZoneDto[];

  /** the left seats of couple pairs, each sold with (row, col + 1) */
  @ApiProperty({ type: [SeatPositionDto] })
  couples!: SeatPositionDto[];
}

export function toHallDto(hall: Hall): HallDto {
  return {
    id: hall.id,
    cinemaId: hall.cinemaId,
    name: hall.name,
    rows: hall.rows,
    cols: hall.cols,
    seatCount: hall.seatCount,
    disabledSeats: hall.disabledSeats.map(({ row, col }) => ({ row, col })),
    description: hall.description,
    zones: (hall.zones ?? []).map((zone) => ({
      name: zone.name,
      seats: zone.seats.map(({ row, col }) => ({ row, col })),
    })),
    couples: (hall.couples ?? []).map(({ row, col }) => ({ row, col })),
  };
}
