import { ApiProperty } from '@nestjs/swagger';
import { centsToYuan } from '../../common/time';
import { PAYMENT_CHANNEL_NAMES } from '../../config/payment-settings';
import type { ChannelSalesRow, DailySalesRow, MovieSalesRow } from '../box-office.repository';
import type { ZoneSales } from '../zone-revenue';

export class MovieBoxOfficeDto {
  movieId!: number;

  /** @example '流浪地球2' */
  movieTitle!: string;

  /** Showtimes of the movie in the range */
  scheduleCount!: number;

  /** Seats of paid orders (refunded ones excluded) */
  ticketCount!: number;

  /**
   * Yuan taken by those paid orders (after vouchers)
   * @example 176.4
   */
  revenue!: number;

  /**
   * Yuan given by vouchers on those paid orders
   * @example 10
   */
  discount!: number;

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
   * Yuan taken by those paid orders (after vouchers)
   * @example 176.4
   */
  revenue!: number;
}

export class ZoneBoxOfficeDto {
  /**
   * A hall zone's name; seats in no zone, and seats sold before zones existed, are in `standard`
   * @example 'VIP'
   */
  zone!: string;

  /** Seats of paid orders (refunded ones excluded) in that zone */
  ticketCount!: number;

  /**
   * Yuan taken for those seats: each order's amount split across its seats in proportion to their
   * prices (its voucher discount shared the same way), to the fen
   * @example 155.5
   */
  revenue!: number;
}

export class ChannelBoxOfficeDto {
  /** How the orders were paid */
  @ApiProperty({ enum: PAYMENT_CHANNEL_NAMES, example: 'alipay' })
  channel!: string;

  /** Seats of paid orders (refunded ones excluded) paid through that channel */
  ticketCount!: number;

  /**
   * Yuan taken by those paid orders (after vouchers)
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
  'discount',
  'seatCount',
  'occupancy',
] as const satisfies readonly (keyof MovieBoxOfficeDto)[];

export const DAILY_COLUMNS = ['date', 'ticketCount', 'revenue'] as const satisfies readonly (keyof DailyBoxOfficeDto)[];

export const ZONE_COLUMNS = ['zone', 'ticketCount', 'revenue'] as const satisfies readonly (keyof ZoneBoxOfficeDto)[];

export const CHANNEL_COLUMNS = [
  'channel',
  'ticketCount',
  'revenue',
] as const satisfies readonly (keyof ChannelBoxOfficeDto)[];

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
    discount: centsToYuan(row.discountCents),
    seatCount: row.seatCount,
    occupancy: occupancyOf(row.ticketCount, row.seatCount),
  };
}

export function toDailyBoxOfficeDto(row: DailySalesRow): DailyBoxOfficeDto {
  return { date: row.showDate, ticketCount: row.ticketCount, revenue: centsToYuan(row.revenueCents) };
}

export function toZoneBoxOfficeDto(row: ZoneSales): ZoneBoxOfficeDto {
  return { zone: row.zone, ticketCount: row.ticketCount, revenue: centsToYuan(row.revenueCents) };
}

export function toChannelBoxOfficeDto(row: ChannelSalesRow): ChannelBoxOfficeDto {
  return { channel: row.channel, ticketCount: row.ticketCount, revenue: centsToYuan(row.revenueCents) };
}
