import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { IdParam } from '../common/id-param.dto';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { HallDayQueryDto } from './dto/schedule-request.dto';
import { ShowtimeDto } from './dto/showtime.dto';
import { ScheduleQueriesService } from './schedule-queries.service';

/**
 * A hall's day of showtimes. Served here, where the showtimes are, under the route, tag and
 * operation id it had in the halls controller (halls sits below schedules and cannot read them).
 */
@ApiTags('halls')
@Controller('halls')
export class HallDayController {
  constructor(private readonly queries: ScheduleQueriesService) {}

  @Get(':id/schedules')
  @Public()
  @ApiOperation({
    summary: "The hall's showtimes on a local day (the taken slots), soonest first",
    operationId: 'Halls_listDay',
  })
  @ApiEnvelope(ShowtimeDto, { paged: true, errors: [ResultCode.NotFound] })
  listDay(@Param() { id }: IdParam, @Query() query: HallDayQueryDto): Promise<Page<ShowtimeDto>> {
    return this.queries.listHallDay(id, query);
  }
}
