import { Injectable } from '@nestjs/common';
import type { CinemaStatus } from '../catalog/entities/cinema.entity';
import type { SeatPosition } from '../halls/entities/hall.entity';
import type { SaleContext } from '../schedules/schedule-sales.service';
import { instantOf } from '../database/raw-sql';
import { readStatement, Statement } from '../database/statement';

interface SaleContextRow {
  schedule_id: number | string;
  starts_at: unknown;
  price_cents: number | string;
  movie_title: string;
  cinema_id: number | string;
  cinema_name: string;
  cinema_owner_id: number | string | null;
  cinema_status: CinemaStatus;
  hall_id: number | string;
  hall_name: string;
  hall_rows: number | string;
  hall_cols: number | string;
  disabled_seats: string | null;
}

/**
 * The hold's read of its showtime (the same facts as ScheduleSalesService.findSaleContext), as one
 * fixed query sent with the rest of the hold's first round trip, without entity hydration.
 */
@Injectable()
export class SaleContextRepository {
  forHold(scheduleId: number): Statement<SaleContext | null> {
    return readStatement<SaleContextRow, SaleContext | null>(
      `SELECT s.id AS schedule_id, s.starts_at AS starts_at, s.price_cents AS price_cents, m.title AS movie_title,
              s.cinema_id AS cinema_id, c.name AS cinema_name, c.owner_id AS cinema_owner_id, c.status AS cinema_status,
              s.hall_id AS hall_id, h.name AS hall_name, h.rows AS hall_rows, h.cols AS hall_cols,
              h.disabled_seats AS disabled_seats
         FROM schedules s
         INNER JOIN movies m ON m.id = s.movie_id
         INNER JOIN halls h ON h.id = s.hall_id
         INNER JOIN cinemas c ON c.id = s.cinema_id
        WHERE s.id = :scheduleId`,
      { scheduleId },
      ([row]) => (row ? saleContextOf(row) : null),
    );
  }
}

function saleContextOf(row: SaleContextRow): SaleContext {
  return {
    scheduleId: Number(row.schedule_id),
    startsAt: instantOf(row.starts_at)!,
    priceCents: Number(row.price_cents),
    movieTitle: row.movie_title,
    cinemaId: Number(row.cinema_id),
    cinemaName: row.cinema_name,
    cinemaOwnerId: row.cinema_owner_id === null ? null : Number(row.cinema_owner_id),
    cinemaStatus: row.cinema_status,
    hallId: Number(row.hall_id),
    hallName: row.hall_name,
    rows: Number(row.hall_rows),
    cols: Number(row.hall_cols),
    disabledSeats: row.disabled_seats ? (JSON.parse(row.disabled_seats) as SeatPosition[]) : [],
  };
}
