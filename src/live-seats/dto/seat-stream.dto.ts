import { ApiProperty } from '@nestjs/swagger';
import { SeatMapDto } from '../../ticketing/dto/seat-map.dto';

export class SeatSnapshotEventDto extends SeatMapDto {
  /** The showtime's seat version this snapshot reflects; `seats` events continue from it. */
  version!: number;
}

export class SeatChangeDto {
  row!: number;
  col!: number;
  @ApiProperty({ enum: ['available', 'held', 'sold'] })
  status!: 'available' | 'held' | 'sold';
}

export class SeatsChangedEventDto {
  /** Also the SSE event id; send it back as Last-Event-ID to resume. */
  version!: number;
  @ApiProperty({ type: [SeatChangeDto] })
  seats!: SeatChangeDto[];
}
