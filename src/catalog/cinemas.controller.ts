import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, OptionalAuth, Public } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { CinemasService } from './cinemas.service';
import { CinemaDto, CinemaQueryDto, CinemaSummaryDto, CreateCinemaDto, UpdateCinemaDto } from './dto/cinema.dto';
import { IdParam } from '../common/id-param.dto';

@ApiTags('cinemas')
@Controller('cinemas')
export class CinemasController {
  constructor(private readonly cinemas: CinemasService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Active cinemas by id, with the lowest price of their future showtimes' })
  @ApiEnvelope(CinemaSummaryDto, { paged: true })
  list(@Query() query: CinemaQueryDto): Promise<Page<CinemaSummaryDto>> {
    return this.cinemas.list(query);
  }

  @Get(':id')
  @Public()
  @OptionalAuth()
  @ApiOperation({ summary: 'A cinema profile (payment account and owner for its owner and admins only)' })
  @ApiEnvelope(CinemaDto, { errors: [ResultCode.NotFound, ResultCode.NotLoggedIn, ResultCode.TokenExpired] })
  get(@CurrentUser() user: AuthUser | undefined, @Param() { id }: IdParam): Promise<CinemaDto> {
    return this.cinemas.getProfile(user, id);
  }

  @Post()
  @Auth('admin')
  @ApiOperation({ summary: 'Create a cinema (admin); a customer owner becomes a merchant' })
  @ApiEnvelope(CinemaDto, { status: 201 })
  create(@Body() dto: CreateCinemaDto): Promise<CinemaDto> {
    return this.cinemas.create(dto);
  }

  @Patch(':id')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Edit a cinema profile (owner or admin); status is for admins only' })
  @ApiEnvelope(CinemaDto, { errors: [ResultCode.NotFound] })
  update(@CurrentUser() user: AuthUser, @Param() { id }: IdParam, @Body() dto: UpdateCinemaDto): Promise<CinemaDto> {
    return this.cinemas.update(user, id, dto);
  }
}
