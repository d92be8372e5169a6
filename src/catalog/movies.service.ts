import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { AppException } from '../common/app.exception';
import { Page } from '../common/envelope';
import { pageWindow } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { localDay } from '../common/time';
import { EnvironmentVariables } from '../config/env.validation';
import { duplicateKeyIndex, isDuplicateKeyError } from '../database/db-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { CatalogShowtimes } from './catalog-showtimes';
import { CreateMovieDto, MovieDto, MovieQueryDto, toMovieDto, UpdateMovieDto } from './dto/movie.dto';
import { Movie } from './entities/movie.entity';
import { MoviesRepository, NewMovie } from './movies.repository';

/** What scheduling needs of a movie: the days it may show on, and its length. */
export type MovieRun = Pick<Movie, 'id' | 'durationMinutes' | 'releaseDate' | 'offDate'>;

@Injectable()
export class MoviesService {
  constructor(
    private readonly repository: MoviesRepository,
    private readonly showtimes: CatalogShowtimes,
    private readonly runner: TransactionRunner,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  /** Today in APP_TIMEZONE: a movie's status turns at local midnight, not at UTC midnight. */
  today(): string {
    return localDay(new Date(), this.config.get('APP_TIMEZONE', { infer: true }));
  }

  async list(query: MovieQueryDto): Promise<Page<MovieDto>> {
    const { skip, take } = pageWindow(query);
    const today = this.today();
    const [movies, total] = await this.repository.list({ status: query.status, q: query.q, today }, skip, take);
    return new Page(
      movies.map((m) => toMovieDto(m, today)),
      total,
    );
  }

  async get(id: number): Promise<MovieDto> {
    return toMovieDto(await this.requireMovie(id), this.today());
  }

  /** Also for other modules (scheduling needs the duration and the status on a day). */
  async requireMovie(id: number, manager?: EntityManager): Promise<Movie> {
    const movie = await this.repository.findById(id, manager);
    if (!movie) throw new AppException(ResultCode.NotFound, 'movie not found');
    return movie;
  }

  async create(dto: CreateMovieDto): Promise<MovieDto> {
    const fields: NewMovie = { ...dto, genres: dto.genres ?? [], offDate: dto.offDate ?? null };
    assertRunDates(fields);
    const movie = await this.saving(() => this.runner.run((manager) => this.repository.insert(manager, fields)));
    return toMovieDto(movie, this.today());
  }

  async update(id: number, dto: UpdateMovieDto): Promise<MovieDto> {
    const movie = await this.saving(() =>
      this.runner.run(async (manager) => {
        const current = await this.repository.findById(id, manager);
        if (!current) throw new AppException(ResultCode.NotFound, 'movie not found');
        assertRunDates({ ...current, ...dto });
        const durationChanges = dto.durationMinutes !== undefined && dto.durationMinutes !== current.durationMinutes;
        // Showtimes keep the end (and the hall's free slots) computed from the old duration.
        if (durationChanges && (await this.showtimes.hasShowtimesFrom(manager, id, new Date()))) {
          throw new AppException(ResultCode.StillInUse, 'the duration cannot change while showtimes are scheduled');
        }
        return this.repository.update(manager, id, dto);
      }),
    );
    return toMovieDto(movie, this.today());
  }

  async remove(id: number): Promise<null> {
    await this.runner.run(async (manager) => {
      const movie = await this.repository.findById(id, manager);
      if (!movie) throw new AppException(ResultCode.NotFound, 'movie not found');
      if (await this.showtimes.hasSoldShowtimes(manager, id)) {
        throw new AppException(ResultCode.StillInUse, 'the movie has showtimes with sold tickets');
      }
      await this.repository.delete(manager, id);
    });
    return null;
  }

  /** Movies in the caller's transaction, as given: for seeding an empty database. */
  createMany(manager: EntityManager, movies: NewMovie[]): Promise<MovieRun[]> {
    return this.repository.insertMany(manager, movies);
  }

  any(manager: EntityManager): Promise<boolean> {
    return this.repository.exists(manager);
  }

  private async saving<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isDuplicateKeyError(error) && isTitleReleaseIndex(duplicateKeyIndex(error))) {
        throw new AppException(ResultCode.AlreadyExists, 'a movie with this title and release date already exists');
      }
      throw error;
    }
  }
}

/** SQLite names the columns of the violated index, MySQL the index itself. */
function isTitleReleaseIndex(index: string): boolean {
  return index === 'uq_movies_title_release' || index === 'movies.title, movies.release_date';
}

function assertRunDates(movie: Pick<Movie, 'releaseDate' | 'offDate'>): void {
  if (movie.offDate !== null && movie.offDate !== undefined && movie.offDate < movie.releaseDate) {
    const message = 'offDate must not be before releaseDate';
    throw new AppException(ResultCode.InvalidParams, `offDate: ${message}`, [{ field: 'offDate', message }]);
  }
}
