import type { CinemaStatus } from '../catalog/dto/cinema.dto';
import type { HallZone, SeatPosition } from '../halls/hall-layout';
import type { ShowtimePricing } from './showtime-pricing';

/** What ticketing needs to know about a showtime to sell its seats, read in one query. */
export interface SaleContext extends ShowtimePricing {
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
  movieId: number;
  zones: HallZone[];
  couples: SeatPosition[];
  /** the cinema refuses holds that leave a single empty seat (2013) */
  noSingleSeatGap: boolean;
}
