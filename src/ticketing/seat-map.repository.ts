import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { instantOf, runStatement, selectRows } from '../database/raw-sql';
import { readStatement } from '../database/statement';

/** What decides whether a cached seat map still holds, read for every request (by id, shared per turn). */
export interface SeatMapStamp {
  version: number;
  priceCents: number;
  rows: number;
  cols: number;
  /** The hall's `disabled_seats` column as stored (JSON text): compared as text, parsed only on a rebuild. */
  disabledSeats: string;
  /**
   * The hall's zones and couples and the showtime's zone prices and ticket types, as stored (JSON
   * text, NUL-separated): compared as text, parsed only on a rebuild.
   */
  pricing: string;
}

export interface SeatMapClaim {
  row: number;
  col: number;
  /** null once sold; a hold with `expiresAt` in the past blocks nothing and reads available. */
  expiresAt: Date | null;
}

/**
 * The seat map's two queries, as fixed parameterized SQL: the hottest read of the API skips the
 * query builder and entity hydration, and both drivers keep the prepared statements.
 */
@Injectable()
export class SeatMapRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The stamps of these showtimes (one query), by id; an unknown id is missing. */
  findStamps(scheduleIds: number[]): Promise<Map<number, SeatMapStamp>> {
    return runStatement(
      this.dataSource.manager,
      readStatement<Record<string, unknown>, Map<number, SeatMapStamp>>(
        'SELECT s.id AS id, s.seat_version AS version, s.price_cents AS price_cents, h.rows AS hall_rows, ' +
          'h.cols AS hall_cols, h.disabled_seats AS disabled_seats, h.zones AS zones, h.couples AS couples, ' +
          's.zone_prices AS zone_prices, s.ticket_types AS ticket_types ' +
          'FROM schedules s INNER JOIN halls h ON h.id = s.hall_id WHERE s.id IN (:...scheduleIds)',
        { scheduleIds },
        (rows) =>
          new Map(
            rows.map((row) => [
              Number(row.id),
              {
                version: Number(row.version),
                priceCents: Number(row.price_cents),
                rows: Number(row.hall_rows),
                cols: Number(row.hall_cols),
                disabledSeats: String(row.disabled_seats),
                pricing: [row.zones, row.couples, row.zone_prices, row.ticket_types]
                  .map((json) => (typeof json === 'string' ? json : ''))
                  .join('\u0000'),
              },
            ]),
          ),
      ),
    );
  }

  /** Every claim of the showtime, lapsed holds included (they are few: the next hold or the sweep deletes them). */
  async findClaims(scheduleId: number): Promise<SeatMapClaim[]> {
    const rows = await selectRows<{ seat_row: unknown; seat_col: unknown; expires_at: unknown }>(
      this.dataSource.manager,
      'SELECT seat_row, seat_col, expires_at FROM seat_claims WHERE schedule_id = :scheduleId',
      { scheduleId },
    );
    return rows.map((r) => ({ row: Number(r.seat_row), col: Number(r.seat_col), expiresAt: instantOf(r.expires_at) }));
  }
}
