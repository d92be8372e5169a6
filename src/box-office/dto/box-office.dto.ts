import { centsToYuan } from '../../common/time';
import type { DailySalesRow, MovieSalesRow } from '../box-office.repository';

export class MovieBoxOfficeDto {
  movieId!: number;

  /** @example '流浪地球2' */
  movieTitle!: string;

  /** Showtimes of the movie in the range */
  scheduleCount!: number;

  /** Seats of paid orders (refunded ones excluded) */
  ticketCount!: number;

  /**
   * Yuan taken by those paid orders
   * @example 176.4
   */
  revenue!: number;

  /** Seats the showtimes offered */
  seatCount!: number;

  /**
   * ticketCount / seatCount, 0–1, rounded to 4 decimals; 0 when no seats were offered
   * @example 0.0833
   */
  occupancy!: number;
}

export class DailyBoxOfficeDto {
  /**
   * A day of APP_TIMEZONE with at least one showtime
   * @example '2026-12-01'
   */
  date!: string;

  /** Seats of paid orders (refunded ones excluded) of that day's showtimes */
  ticketCount!: number;

  /**
   * Yuan taken by those paid orders
   * @example 176.4
   */
  revenue!: number;
}

/** CSV columns: the JSON field names, in the JSON order. */
export const MOVIE_COLUMNS = [
  'movieId',
  'movieTitle',
  'scheduleCount',
  'ticketCount',
  'revenue',
  'seatCount',
  'occupancy',
] as const satisfies readonly (keyof MovieBoxOfficeDto)[];

export const DAILY_COLUMNS = ['date', 'ticketCount', 'revenue'] as const satisfies readonly (keyof DailyBoxOfficeDto)[];

export function occupancyOf(ticketCount: number, seatCount: number): number {
  return seatCount > 0 ? Math.round((ticketCount / seatCount) * 10_000) / 10_000 : 0;
}

export function toMovieBoxOfficeDto(row: MovieSalesRow): MovieBoxOfficeDto {
  return {
    movieId: row.movieId,
    movieTitle: row.movieTitle,
    scheduleCount: row.scheduleCount,
    ticketCount: row.ticketCount,
    revenue: centsToYuan(row.revenueCents),
    seatCount: row.seatCount,
    occupancy: occupancyOf(row.ticketCount, row.seatCount),
  };
}

export function toDailyBoxOfficeDto(row: DailySalesRow): DailyBoxOfficeDto {
  return { date: row.showDate, ticketCount: row.ticketCount, revenue: centsToYuan(row.revenueCents) };
}
