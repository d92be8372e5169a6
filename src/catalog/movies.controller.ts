import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Public } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { IdParam } from '../common/id-param.dto';
import { CreateMovieDto, MovieDto, MovieQueryDto, UpdateMovieDto } from './dto/movie.dto';
import { MoviesService } from './movies.service';

@ApiTags('movies')
@Controller('movies')
export class MoviesController {
  constructor(private readonly movies: MoviesService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Movies by status and text (upcoming: soonest release first; else newest first)' })
  @ApiEnvelope(MovieDto, { paged: true })
  list(@Query() query: MovieQueryDto): Promise<Page<MovieDto>> {
    return this.movies.list(query);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'A movie' })
  @ApiEnvelope(MovieDto, { errors: [ResultCode.NotFound] })
  get(@Param() { id }: IdParam): Promise<MovieDto> {
    return this.movies.get(id);
  }

  @Post()
  @Auth('admin')
  @ApiOperation({ summary: 'Add a movie (admin)' })
  @ApiEnvelope(MovieDto, { status: 201, errors: [ResultCode.AlreadyExists] })
  create(@Body() dto: CreateMovieDto): Promise<MovieDto> {
    return this.movies.create(dto);
  }

  @Patch(':id')
  @Auth('admin')
  @ApiOperation({ summary: 'Edit a movie (admin); the duration is fixed while showtimes are scheduled' })
  @ApiEnvelope(MovieDto, { errors: [ResultCode.NotFound, ResultCode.AlreadyExists, ResultCode.StillInUse] })
  update(@Param() { id }: IdParam, @Body() dto: UpdateMovieDto): Promise<MovieDto> {
    return this.movies.update(id, dto);
  }

  @Delete(':id')
  @Auth('admin')
  @ApiOperation({ summary: 'Delete a movie and its unsold showtimes (admin); 2009 once tickets are sold' })
  @ApiEnvelope(null, { errors: [ResultCode.NotFound, ResultCode.StillInUse] })
  remove(@Param() { id }: IdParam): Promise<null> {
    return this.movies.remove(id);
  }
}
