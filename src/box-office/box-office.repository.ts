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
  discountCents: number;
  seatCount: number;
}

export interface DailySalesRow {
  showDate: string;
  ticketCount: number;
  revenueCents: number;
}

/**
 * A seat of `orders.seats` (JSON) as ticketing sold it: `{ row, col, zone?, ticketType?, priceCents? }`;
 * orders made before zones existed lack `zone` and `priceCents`.
 */
export interface SoldSeat {
  row: number;
  col: number;
  zone?: string;
  priceCents?: number;
}

/** A paid order as the zones report splits it: its seats as sold, and the cents it took. */
export interface PaidOrderSeatsRow {
  seats: SoldSeat[];
  /** The showtime's price when held: the price of a seat sold before zones, which lacks its own. */
  unitPriceCents: number;
  /** The seats' prices less the voucher discount: what the zones' shares of this order add up to. */
  amountCents: number;
}

export interface ChannelSalesRow {
  channel: string;
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
 * the claims of paid orders counts sold tickets exactly; revenue is the paid orders' integer cents
 * (`amount_cents`: the seats' prices less the voucher discount, CONTRACT 13), discount their
 * `discount_cents`.
 */
@Injectable()
export class BoxOfficeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async sumSalesByMovie(filter: SalesFilter): Promise<MovieSalesRow[]> {
    const { sql, params } = salesPerSchedule(filter);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ps.movie_id AS movie_id, m.title AS movie_title, COUNT(*) AS schedule_count,
              SUM(ps.ticket_count) AS ticket_count, SUM(ps.revenue_cents) AS revenue_cents,
              SUM(ps.discount_cents) AS discount_cents, SUM(ps.seat_count) AS seat_count
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
      discountCents: Number(row.discount_cents),
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

  /**
   * Every paid order of the filter's showtimes with its seats, for the zones report. Zones live in the
   * orders' JSON seats, and JSON is read differently by SQLite and MariaDB, so the caller parses and
   * splits them; one statement, bounded by the same showtime filter as the other reports.
   */
  async findPaidOrderSeats(filter: SalesFilter): Promise<PaidOrderSeatsRow[]> {
    const { where, params } = scheduleConditions(filter);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT o.seats, o.unit_price_cents, o.amount_cents
         FROM schedules s
         INNER JOIN orders o ON o.schedule_id = s.id AND o.status = 'paid'
        WHERE ${where}`,
      params,
    );
    return rows.map((row) => ({
      seats: parseSeats(row.seats),
      unitPriceCents: Number(row.unit_price_cents),
      amountCents: Number(row.amount_cents),
    }));
  }

  /**
   * Paid tickets and cents per payment channel. Tickets are the paid orders' seat claims, counted as
   * the other reports count them. Paying has always written the channel (only `mock` before CONTRACT
   * 12); a paid row without one, written by hand, counts as `mock` rather than as a channel named null.
   */
  async sumSalesByChannel(filter: SalesFilter): Promise<ChannelSalesRow[]> {
    const { where, params } = scheduleConditions(filter);
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT po.channel AS channel, SUM(po.ticket_count) AS ticket_count, SUM(po.amount_cents) AS revenue_cents
         FROM (SELECT COALESCE(o.payment_channel, 'mock') AS channel, o.amount_cents,
                      (SELECT COUNT(*) FROM seat_claims sc WHERE sc.order_id = o.id) AS ticket_count
                 FROM schedules s
                 INNER JOIN orders o ON o.schedule_id = s.id AND o.status = 'paid'
                WHERE ${where}) po
        GROUP BY po.channel
        ORDER BY revenue_cents DESC, po.channel ASC`,
      params,
    );
    return rows.map((row) => ({
      channel: String(row.channel),
      ticketCount: Number(row.ticket_count),
      revenueCents: Number(row.revenue_cents),
    }));
  }

  async movieExists(movieId: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 AS found FROM movies WHERE id = ?', [movieId]);
    return rows.length > 0;
  }
}

/** The showtimes (alias `s`) a report covers: show days in [from, to], narrowed by cinema, owner or movie. */
function scheduleConditions(filter: SalesFilter): { where: string; params: unknown[] } {
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
  return { where: conditions.join(' AND '), params };
}

/** One row per showtime in the filter: its movie, day, seats offered, tickets sold, cents taken and given. */
function salesPerSchedule(filter: SalesFilter): { sql: string; params: unknown[] } {
  const { where, params } = scheduleConditions(filter);
  const sql = `SELECT s.id, s.movie_id, s.show_date, s.seat_count,
         (SELECT COUNT(*) FROM seat_claims sc INNER JOIN orders o ON o.id = sc.order_id
           WHERE sc.schedule_id = s.id AND o.status = 'paid') AS ticket_count,
         (SELECT COALESCE(SUM(o.amount_cents), 0) FROM orders o
           WHERE o.schedule_id = s.id AND o.status = 'paid') AS revenue_cents,
         (SELECT COALESCE(SUM(o.discount_cents), 0) FROM orders o
           WHERE o.schedule_id = s.id AND o.status = 'paid') AS discount_cents
    FROM schedules s
   WHERE ${where}`;
  return { sql, params };
}

/** `orders.seats` is TypeORM simple-json text; a driver may also hand back what it already parsed. */
function parseSeats(value: unknown): SoldSeat[] {
  const seats: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(seats) ? (seats as SoldSeat[]) : [];
}
