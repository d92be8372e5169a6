import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { RawResponse } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { ApiErrors } from '../common/swagger/api-envelope';
import { BoxOfficeService } from './box-office.service';
import { ApiReportResponse } from './box-office.swagger';
import { BoxOfficeQueryDto, DailyBoxOfficeQueryDto } from './dto/box-office-query.dto';
import { ChannelBoxOfficeDto, DailyBoxOfficeDto, MovieBoxOfficeDto, ZoneBoxOfficeDto } from './dto/box-office.dto';

@ApiTags('box-office')
@Controller('box-office')
export class BoxOfficeController {
  constructor(private readonly boxOffice: BoxOfficeService) {}

  @Get('movies')
  @ApiOperation({
    summary:
      'Per-movie totals over local days [from, to]: showtimes, paid tickets, revenue, discount, seats, occupancy',
    description:
      'Highest revenue first (ties: movieId). Revenue is after vouchers; discount is what vouchers gave. ' +
      'Refunded orders are excluded. Merchants: own cinemas only.',
  })
  @ApiReportResponse(
    MovieBoxOfficeDto,
    '\uFEFFmovieId,movieTitle,scheduleCount,ticketCount,revenue,discount,seatCount,occupancy\r\n' +
      '7,流浪地球2,2,4,176.4,10,48,0.0833\r\n',
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

  @Get('zones')
  @ApiOperation({
    summary: 'Paid tickets and revenue per seat zone over local days [from, to]',
    description:
      'Highest revenue first (ties: zone name). Each order’s amount (after its voucher) is split across its seats ' +
      'in proportion to their prices, to the fen; seats sold before zones count as `standard`. ' +
      'Refunded orders are excluded. Merchants: own cinemas only.',
  })
  @ApiReportResponse(ZoneBoxOfficeDto, '\uFEFFzone,ticketCount,revenue\r\nVIP,2,155.5\r\nstandard,3,136.5\r\n')
  @ApiErrors(ResultCode.InvalidParams, ResultCode.NotFound, ResultCode.ServerError)
  @Auth('merchant', 'admin')
  zones(
    @CurrentUser() user: AuthUser,
    @Query() query: DailyBoxOfficeQueryDto,
  ): Promise<ZoneBoxOfficeDto[] | RawResponse> {
    return this.boxOffice.zones(user, query);
  }

  @Get('channels')
  @ApiOperation({
    summary: 'Paid tickets and revenue per payment channel over local days [from, to]',
    description:
      'Highest revenue first (ties: channel name). Revenue is after vouchers. Refunded orders are excluded. ' +
      'Merchants: own cinemas only.',
  })
  @ApiReportResponse(ChannelBoxOfficeDto, '\uFEFFchannel,ticketCount,revenue\r\nalipay,4,176.4\r\nmock,1,45.5\r\n')
  @ApiErrors(ResultCode.InvalidParams, ResultCode.NotFound, ResultCode.ServerError)
  @Auth('merchant', 'admin')
  channels(
    @CurrentUser() user: AuthUser,
    @Query() query: BoxOfficeQueryDto,
  ): Promise<ChannelBoxOfficeDto[] | RawResponse> {
    return this.boxOffice.channels(user, query);
  }
}
