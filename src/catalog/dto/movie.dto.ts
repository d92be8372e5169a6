import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsCalendarDay } from '../../common/time';
import { PageQueryDto } from '../../common/pagination';
import type { Movie } from '../entities/movie.entity';
import { MOVIE_STATUSES, MovieStatus, movieStatusOn } from '../movie-status';
import { Trim } from '../../common/transforms';
import { HTTP_URL, IfPresent } from './field-rules';

const trimEach = () =>
  Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)) : value,
  );

export class CreateMovieDto {
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  director!: string;

  /** leading cast, in billing order */
  @trimEach()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  actors!: string[];

  /** running time, 1-600 minutes */
  @IsInt()
  @Min(1)
  @Max(600)
  durationMinutes!: number;

  @IsUrl(HTTP_URL)
  @MaxLength(500)
  posterUrl!: string;

  @IsString()
  @MaxLength(10_000)
  description!: string;

  /** first day on screen, YYYY-MM-DD */
  @IsCalendarDay()
  releaseDate!: string;

  @IsOptional()
  @trimEach()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(30, { each: true })
  genres?: string[];

  /** last day on screen (inclusive), YYYY-MM-DD, not before releaseDate */
  @IsOptional()
  @IsCalendarDay()
  offDate?: string | null;
}

/** Any field of a movie; `offDate: null` clears the off date, other fields refuse null. */
export class UpdateMovieDto {
  @IfPresent()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @IfPresent()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  director?: string;

  @IfPresent()
  @trimEach()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  actors?: string[];

  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(600)
  durationMinutes?: number;

  @IfPresent()
  @IsUrl(HTTP_URL)
  @MaxLength(500)
  posterUrl?: string;

  @IfPresent()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @IfPresent()
  @IsCalendarDay()
  releaseDate?: string;

  @IfPresent()
  @trimEach()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(30, { each: true })
  genres?: string[];

  @IsOptional()
  @IsCalendarDay()
  offDate?: string | null;
}

export class MovieQueryDto extends PageQueryDto {
  /** derived from today in APP_TIMEZONE; every status when absent */
  @ApiProperty({ enum: MOVIE_STATUSES, required: false })
  @IsOptional()
  @IsIn(MOVIE_STATUSES)
  status?: MovieStatus;

  /** matches title, director and actors (substring, case-insensitive for Latin letters) */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class MovieDto {
  id!: number;
  title!: string;
  director!: string;
  actors!: string[];
  durationMinutes!: number;
  posterUrl!: string;
  description!: string;
  /** YYYY-MM-DD */
  releaseDate!: string;
  /** YYYY-MM-DD, last day on screen; null while open-ended */
  offDate!: string | null;
  genres!: string[];
  /** derived from today in APP_TIMEZONE */
  @ApiProperty({ enum: MOVIE_STATUSES })
  status!: MovieStatus;
  createdAt!: string;
}

export function toMovieDto(movie: Movie, today: string): MovieDto {
  return {
    id: movie.id,
    title: movie.title,
    director: movie.director,
    actors: movie.actors,
    durationMinutes: movie.durationMinutes,
    posterUrl: movie.posterUrl,
    description: movie.description,
    releaseDate: movie.releaseDate,
    offDate: movie.offDate,
    genres: movie.genres,
    status: movieStatusOn(movie, today),
    createdAt: movie.createdAt.toISOString(),
  };
}
