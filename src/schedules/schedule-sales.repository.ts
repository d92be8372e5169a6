import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CinemaStatus } from '../catalog/dto/cinema.dto';
import type { HallZone, SeatPosition } from '../halls/hall-layout';
import type { TicketType } from './entities/schedule.entity';
import { instantOf, runStatement } from '../database/raw-sql';
import { readStatement, Statement, writeStatement } from '../database/statement';
import type { Transaction } from '../database/transaction';
import type { SaleContext } from './sale-context';

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
  zones: string | null;
  couples: string | null;
  zone_prices: string | null;
  ticket_types: string | null;
  no_single_seat_gap: unknown;
  movie_id: number | string;
}

/** The sale path's statements on `schedules`: its row lock, its sale context, its seat version and sold count. */
@Injectable()
export class ScheduleSalesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Outside any transaction: the version committed last. */
  async seatVersion(scheduleId: number): Promise<number> {
    const versions = await runStatement(
      this.dataSource.manager,
      readStatement<{ seat_version: unknown }>('SELECT seat_version FROM schedules WHERE id = :scheduleId', {
        scheduleId,
      }),
    );
    return Number(versions[0]?.seat_version ?? 0);
  }

  /** Row locks in id order (FOR UPDATE on MySQL; a SQLite transaction holds the file's write lock already). */
  lock(tx: Transaction, scheduleIds: number[]): Promise<unknown[]> {
    const ids = [...new Set(scheduleIds)].sort((a, b) => a - b);
    const forUpdate = tx.isMysql ? ' FOR UPDATE' : '';
    return tx.send(readStatement(`SELECT id FROM schedules WHERE id IN (:...ids) ORDER BY id${forUpdate}`, { ids }));
  }

  /**
   * seat_version + 1 (and sold_count + soldDelta), answering the new version without a second read:
   * SQLite has RETURNING; MySQL and MariaDB hand `LAST_INSERT_ID(expr)` back as the statement's insert
   * id, per connection, so no other transaction can see it. null: no such showtime.
   */
  bumpVersion(tx: Transaction, scheduleId: number, soldDelta: number): Promise<number | null> {
    const sold = soldDelta ? `, sold_count = sold_count + ${Math.trunc(soldDelta)}` : '';
    if (tx.isMysql) {
      const sql = `UPDATE schedules SET seat_version = LAST_INSERT_ID(seat_version + 1)${sold} WHERE id = :scheduleId`;
      return tx.send(writeStatement(sql, { scheduleId }, ({ affected, insertId }) => (affected ? insertId : null)));
    }
    return tx.send(
      readStatement<{ seat_version: number | string }, number | null>(
        `UPDATE schedules SET seat_version = seat_version + 1${sold} WHERE id = :scheduleId RETURNING seat_version`,
        { scheduleId },
        ([row]) => (row ? Number(row.seat_version) : null),
      ),
    );
  }

  saleContext(tx: Transaction, scheduleId: number): Promise<SaleContext | null> {
    return tx.send(saleContextStatement(scheduleId));
  }
}

/** Fixed SQL without entity hydration: it runs for every batch of holds. */
function saleContextStatement(scheduleId: number): Statement<SaleContext | null> {
  return readStatement<SaleContextRow, SaleContext | null>(
    `SELECT s.id AS schedule_id, s.starts_at AS starts_at, s.price_cents AS price_cents, m.title AS movie_title,
              s.cinema_id AS cinema_id, c.name AS cinema_name, c.owner_id AS cinema_owner_id, c.status AS cinema_status,
              s.hall_id AS hall_id, h.name AS hall_name, h.rows AS hall_rows, h.cols AS hall_cols,
              h.disabled_seats AS disabled_seats, h.zones AS zones, h.couples AS couples,
              s.zone_prices AS zone_prices, s.ticket_types AS ticket_types, s.movie_id AS movie_id,
              c.no_single_seat_gap AS no_single_seat_gap
         FROM schedules s
         INNER JOIN movies m ON m.id = s.movie_id
         INNER JOIN halls h ON h.id = s.hall_id
         INNER JOIN cinemas c ON c.id = s.cinema_id
        WHERE s.id = :scheduleId`,
    { scheduleId },
    ([row]) => (row ? saleContextOf(row) : null),
  );
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
    movieId: Number(row.movie_id),
    zones: row.zones ? (JSON.parse(row.zones) as HallZone[]) : [],
    couples: row.couples ? (JSON.parse(row.couples) as SeatPosition[]) : [],
    zonePrices: row.zone_prices ? (JSON.parse(row.zone_prices) as Record<string, number>) : {},
    ticketTypes: row.ticket_types ? (JSON.parse(row.ticket_types) as TicketType[]) : [],
    noSingleSeatGap: row.no_single_seat_gap === true || Number(row.no_single_seat_gap) === 1,
  };
}
