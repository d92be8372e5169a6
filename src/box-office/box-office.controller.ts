import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { RawResponse } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { ApiErrors } from '../common/swagger/api-envelope';
import { BoxOfficeService } from './box-office.service';
import { ApiReportResponse } from './box-office.swagger';
import { BoxOfficeQueryDto, DailyBoxOfficeQueryDto } from './dto/box-office-query.dto';
import { DailyBoxOfficeDto, MovieBoxOfficeDto } from './dto/box-office.dto';

@ApiTags('box-office')
@Controller('box-office')
export class BoxOfficeController {
  constructor(private readonly boxOffice: BoxOfficeService) {}

  @Get('movies')
  @ApiOperation({
    summary: 'Per-movie totals over local days [from, to]: showtimes, paid tickets, revenue, seats, occupancy',
    description: 'Highest revenue first (ties: movieId). Refunded orders are excluded. Merchants: own cinemas only.',
  })
  @ApiReportResponse(
    MovieBoxOfficeDto,
    '\uFEFFmovieId,movieTitle,scheduleCount,ticketCount,revenue,seatCount,occupancy\r\n7,流浪地球2,2,4,176.4,48,0.0833\r\n',
  )
  @ApiErrors(ResultCode.InvalidParams, ResultCode.NotFound, ResultCode.ServerError)
  @Auth('merchant', 'admin')
  movies(@CurrentUser() user: AuthUser, @Query() query: BoxOfficeQueryDto): Promise<MovieBoxOfficeDto[] | RawResponse> {
    return this.boxOffice.movies(user, query);
  }

  @Get('daily')
  @ApiOperation({
    summary: 'Paid tickets and revenue per local show day over [from, to]',
    description: 'Only days with showtimes, oldest first. Refunded orders are excluded. Merchants: own cinemas only.',
  })
  @ApiReportResponse(DailyBoxOfficeDto, '\uFEFFdate,ticketCount,revenue\r\n2026-12-01,4,176.4\r\n')
  @ApiErrors(ResultCode.InvalidParams, ResultCode.NotFound, ResultCode.ServerError)
  @Auth('merchant', 'admin')
  daily(
    @CurrentUser() user: AuthUser,
    @Query() query: DailyBoxOfficeQueryDto,
  ): Promise<DailyBoxOfficeDto[] | RawResponse> {
    return this.boxOffice.daily(user, query);
  }
}
