import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Which showtimes a report covers: local show days in [from, to], narrowed by cinema, owner or movie. */
export interface SalesFilter {
  from: string;
  to: string;
  cinemaId?: number;
  /** A merchant's report without a cinema: every cinema it owns. */
  ownerId?: number;
  movieId?: number;
}

export interface MovieSalesRow {
  movieId: number;
  movieTitle: string;
  scheduleCount: number;
  ticketCount: number;
  revenueCents: number;
  seatCount: number;
}

export interface DailySalesRow {
  showDate: string;
  ticketCount: number;
  revenueCents: number;
}

/**
 * The one read model: the only place that names other modules' tables (schedules, orders,
 * seat_claims, movies, cinemas) in its SQL, and the dependency rules (.dependency-cruiser.js) say so.
 * It owns no table and only reads. A report sums every showtime's paid claims and orders and groups
 * them in one statement; through the owners' services it would be per-module reads joined in memory,
 * and ticketing would have to export a reporting service the sale path has no use for.
 *
 * Box office aggregation, in SQL that reads the same on SQLite and MariaDB/MySQL. Sales are
 * summed per showtime first (correlated subqueries on the orders and seat-claims indexes), so
 * that grouping showtimes by movie or day never multiplies a showtime's seats by its orders.
 * A paid order keeps one permanent seat claim per seat, and a refund deletes them, so counting
 * the claims of paid orders counts sold tickets exactly; revenue is the paid orders' integer cents.
 */
@Injectable()
export class BoxOfficeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async sumSalesByMovie(filter: SalesFilter): Promise<MovieSalesRow[]> {
    const { sql, params } = salesPerSchedule(filter);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ps.movie_id AS movie_id, m.title AS movie_title, COUNT(*) AS schedule_count,
              SUM(ps.ticket_count) AS ticket_count, SUM(ps.revenue_cents) AS revenue_cents,
              SUM(ps.seat_count) AS seat_count
         FROM (${sql}) ps
         INNER JOIN movies m ON m.id = ps.movie_id
        GROUP BY ps.movie_id, m.title
        ORDER BY revenue_cents DESC, ps.movie_id ASC`,
      params,
    );
    return rows.map((row) => ({
      movieId: Number(row.movie_id),
      movieTitle: String(row.movie_title),
      scheduleCount: Number(row.schedule_count),
      ticketCount: Number(row.ticket_count),
      revenueCents: Number(row.revenue_cents),
      seatCount: Number(row.seat_count),
    }));
  }

  async sumSalesByDay(filter: SalesFilter): Promise<DailySalesRow[]> {
    const { sql, params } = salesPerSchedule(filter);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ps.show_date AS show_date, SUM(ps.ticket_count) AS ticket_count,
              SUM(ps.revenue_cents) AS revenue_cents
         FROM (${sql}) ps
        GROUP BY ps.show_date
        ORDER BY ps.show_date ASC`,
      params,
    );
    return rows.map((row) => ({
      showDate: String(row.show_date),
      ticketCount: Number(row.ticket_count),
      revenueCents: Number(row.revenue_cents),
    }));
  }

  async movieExists(movieId: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 AS found FROM movies WHERE id = ?', [movieId]);
    return rows.length > 0;
  }
}

/** One row per showtime in the filter: its movie, day, seats offered, tickets sold and cents taken. */
function salesPerSchedule(filter: SalesFilter): { sql: string; params: unknown[] } {
  const conditions = ['s.show_date >= ?', 's.show_date <= ?'];
  const params: unknown[] = [filter.from, filter.to];
  if (filter.cinemaId !== undefined) {
    conditions.push('s.cinema_id = ?');
    params.push(filter.cinemaId);
  }
  if (filter.ownerId !== undefined) {
    conditions.push('s.cinema_id IN (SELECT c.id FROM cinemas c WHERE c.owner_id = ?)');
    params.push(filter.ownerId);
  }
  if (filter.movieId !== undefined) {
    conditions.push('s.movie_id = ?');
    params.push(filter.movieId);
  }
  const sql = `SELECT s.id, s.movie_id, s.show_date, s.seat_count,
         (SELECT COUNT(*) FROM seat_claims sc INNER JOIN orders o ON o.id = sc.order_id
           WHERE sc.schedule_id = s.id AND o.status = 'paid') AS ticket_count,
         (SELECT COALESCE(SUM(o.amount_cents), 0) FROM orders o
           WHERE o.schedule_id = s.id AND o.status = 'paid') AS revenue_cents
    FROM schedules s
   WHERE ${conditions.join(' AND ')}`;
  return { sql, params };
}
