import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Public } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { HallDto } from './dto/hall.dto';
import { IdParam } from '../common/id-param.dto';
import { CreateHallDto, HallListQueryDto, UpdateHallDto } from './dto/hall-request.dto';
import { HallsService } from './halls.service';

const { NotFound, AlreadyExists, StillInUse } = ResultCode;

@ApiTags('halls')
@Controller('halls')
export class HallsController {
  constructor(private readonly halls: HallsService) {}

  @Post()
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Add a hall to a cinema (owner of the cinema or admin)' })
  @ApiEnvelope(HallDto, { status: 201, errors: [NotFound, AlreadyExists] })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateHallDto): Promise<HallDto> {
    return this.halls.create(user, dto);
  }

  @Get()
  @Public()
  @ApiOperation({ summary: "A cinema's halls by id; all of them unless page or pageSize is given" })
  @ApiEnvelope(HallDto, { paged: true })
  list(@Query() query: HallListQueryDto): Promise<Page<HallDto>> {
    return this.halls.list(query);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'One hall with its seat layout' })
  @ApiEnvelope(HallDto, { errors: [NotFound] })
  findOne(@Param() { id }: IdParam): Promise<HallDto> {
    return this.halls.findOne(id);
  }

  @Patch(':id')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Rename or re-lay a hall; refused if it takes away a seat sold for a coming showtime' })
  @ApiEnvelope(HallDto, { errors: [NotFound, AlreadyExists, StillInUse] })
  update(@CurrentUser() user: AuthUser, @Param() { id }: IdParam, @Body() dto: UpdateHallDto): Promise<HallDto> {
    return this.halls.update(user, id, dto);
  }

  @Delete(':id')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Delete a hall without coming showtimes' })
  @ApiEnvelope(null, { errors: [NotFound, StillInUse] })
  remove(@CurrentUser() user: AuthUser, @Param() { id }: IdParam): Promise<void> {
    return this.halls.remove(user, id);
  }
}
