import { Injectable } from '@nestjs/common';
import { CinemaAccessService } from '../catalog/cinema-access.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { RawResponse } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { BoxOfficeRepository, SalesFilter } from './box-office.repository';
import { toCsv } from './csv';
import { BoxOfficeQueryDto, DailyBoxOfficeQueryDto } from './dto/box-office-query.dto';
import {
  CHANNEL_COLUMNS,
  ChannelBoxOfficeDto,
  DAILY_COLUMNS,
  DailyBoxOfficeDto,
  MOVIE_COLUMNS,
  MovieBoxOfficeDto,
  toChannelBoxOfficeDto,
  toDailyBoxOfficeDto,
  toMovieBoxOfficeDto,
  toZoneBoxOfficeDto,
  ZONE_COLUMNS,
  ZoneBoxOfficeDto,
} from './dto/box-office.dto';
import { sumSalesByZone } from './zone-revenue';

@Injectable()
export class BoxOfficeService {
  constructor(
    private readonly cinemaAccess: CinemaAccessService,
    private readonly repository: BoxOfficeRepository,
  ) {}

  async movies(user: AuthUser, query: BoxOfficeQueryDto): Promise<MovieBoxOfficeDto[] | RawResponse> {
    const filter = await this.salesFilter(user, query);
    const rows = (await this.repository.sumSalesByMovie(filter)).map(toMovieBoxOfficeDto);
    return query.format === 'csv' ? csvDownload(reportName('movies', query), toCsv(MOVIE_COLUMNS, rows)) : rows;
  }

  async daily(user: AuthUser, query: DailyBoxOfficeQueryDto): Promise<DailyBoxOfficeDto[] | RawResponse> {
    const filter = await this.movieSalesFilter(user, query);
    const rows = (await this.repository.sumSalesByDay(filter)).map(toDailyBoxOfficeDto);
    return query.format === 'csv' ? csvDownload(reportName('daily', query), toCsv(DAILY_COLUMNS, rows)) : rows;
  }

  /** Zones live in the orders' JSON seats: read once per paid order and summed here (see zone-revenue.ts). */
  async zones(user: AuthUser, query: DailyBoxOfficeQueryDto): Promise<ZoneBoxOfficeDto[] | RawResponse> {
    const filter = await this.movieSalesFilter(user, query);
    const rows = sumSalesByZone(await this.repository.findPaidOrderSeats(filter)).map(toZoneBoxOfficeDto);
    return query.format === 'csv' ? csvDownload(reportName('zones', query), toCsv(ZONE_COLUMNS, rows)) : rows;
  }

  async channels(user: AuthUser, query: BoxOfficeQueryDto): Promise<ChannelBoxOfficeDto[] | RawResponse> {
    const filter = await this.salesFilter(user, query);
    const rows = (await this.repository.sumSalesByChannel(filter)).map(toChannelBoxOfficeDto);
    return query.format === 'csv' ? csvDownload(reportName('channels', query), toCsv(CHANNEL_COLUMNS, rows)) : rows;
  }

  /** The sales filter narrowed to a movie when one is named: an unknown movie answers 1014. */
  private async movieSalesFilter(user: AuthUser, query: DailyBoxOfficeQueryDto): Promise<SalesFilter> {
    const filter = await this.salesFilter(user, query);
    if (query.movieId === undefined) return filter;
    if (!(await this.repository.movieExists(query.movieId))) {
      throw new AppException(ResultCode.NotFound, 'movie not found');
    }
    return { ...filter, movieId: query.movieId };
  }

  /** Access first: a named cinema must be the caller's (admins: any); without one, merchants see their own. */
  async salesFilter(user: AuthUser, query: BoxOfficeQueryDto): Promise<SalesFilter> {
    const { from, to, cinemaId } = query;
    if (cinemaId !== undefined) {
      await this.cinemaAccess.requireManageable(user, cinemaId);
      return { from, to, cinemaId };
    }
    return user.role === 'admin' ? { from, to } : { from, to, ownerId: user.id };
  }
}

function reportName(kind: 'movies' | 'daily' | 'zones' | 'channels', query: DailyBoxOfficeQueryDto): string {
  const parts = [`box-office-${kind}`, query.from, query.to];
  if (query.cinemaId !== undefined) parts.push(`cinema-${query.cinemaId}`);
  if (query.movieId !== undefined) parts.push(`movie-${query.movieId}`);
  return `${parts.join('_')}.csv`;
}

function csvDownload(fileName: string, csv: string): RawResponse {
  return new RawResponse(Buffer.from(csv, 'utf8'), 'text/csv; charset=utf-8', {
    'Content-Disposition': `attachment; filename="${fileName}"`,
  });
}
