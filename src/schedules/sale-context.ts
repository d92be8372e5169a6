import type { CinemaStatus } from '../catalog/dto/cinema.dto';
import type { SeatPosition } from '../halls/hall-layout';

/** What ticketing needs to know about a showtime to sell its seats, read in one query. */
export interface SaleContext {
  scheduleId: number;
  startsAt: Date;
  priceCents: number;
  movieTitle: string;
  cinemaId: number;
  cinemaName: string;
  cinemaOwnerId: number | null;
  cinemaStatus: CinemaStatus;
  hallId: number;
  hallName: string;
  rows: number;
  cols: number;
  disabledSeats: SeatPosition[];
}
