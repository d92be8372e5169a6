import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Public } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { IdParam } from '../common/id-param.dto';
import { CreateScheduleDto, ScheduleListQueryDto, UpdateScheduleDto } from './dto/schedule-request.dto';
import { ShowtimeDto } from './dto/showtime.dto';
import { ScheduleQueriesService } from './schedule-queries.service';
import { SchedulesService } from './schedules.service';

const { NotFound, ShowtimeOverlap, ShowtimeInPast, StillInUse } = ResultCode;

@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly queries: ScheduleQueriesService,
  ) {}

  @Post()
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Schedule a movie in a hall (owner of the cinema or admin)' })
  @ApiEnvelope(ShowtimeDto, { status: 201, errors: [NotFound, ShowtimeOverlap, ShowtimeInPast] })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateScheduleDto): Promise<ShowtimeDto> {
    return this.schedules.create(user, dto);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Showtimes of active cinemas, soonest first; without date, those not yet ended' })
  @ApiEnvelope(ShowtimeDto, { paged: true })
  list(@Query() query: ScheduleListQueryDto): Promise<Page<ShowtimeDto>> {
    return this.queries.list(query);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'One showtime' })
  @ApiEnvelope(ShowtimeDto, { errors: [NotFound] })
  findOne(@Param() { id }: IdParam): Promise<ShowtimeDto> {
    return this.queries.findOne(id);
  }

  @Patch(':id')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Move or reprice a showtime; moving is refused once tickets are sold or held' })
  @ApiEnvelope(ShowtimeDto, { errors: [NotFound, ShowtimeOverlap, ShowtimeInPast, StillInUse] })
  update(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParam,
    @Body() dto: UpdateScheduleDto,
  ): Promise<ShowtimeDto> {
    return this.schedules.update(user, id, dto);
  }

  @Delete(':id')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Delete a showtime without sold or held tickets' })
  @ApiEnvelope(null, { errors: [NotFound, StillInUse] })
  remove(@CurrentUser() user: AuthUser, @Param() { id }: IdParam): Promise<void> {
    return this.schedules.remove(user, id);
  }
}
