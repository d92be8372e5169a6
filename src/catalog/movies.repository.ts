import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { definedOnly } from './cinemas.repository';
import { Movie } from './entities/movie.entity';
import type { MovieStatus } from './movie-status';

export interface MovieListFilter {
  status?: MovieStatus;
  q?: string;
  /** today in APP_TIMEZONE, YYYY-MM-DD */
  today: string;
}

export type NewMovie = Omit<Movie, 'id' | 'createdAt'>;

/** `!` escapes LIKE wildcards: backslash would need different quoting on MySQL and SQLite. */
function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

@Injectable()
export class MoviesRepository {
  constructor(@InjectRepository(Movie) private readonly movies: Repository<Movie>) {}

  findById(id: number, manager: EntityManager = this.movies.manager): Promise<Movie | null> {
    return manager.findOneBy(Movie, { id });
  }

  /** Status is compared as text days, the same way `movieStatusOn` does. */
  list(filter: MovieListFilter, skip: number, take: number): Promise<[Movie[], number]> {
    const query = this.movies.createQueryBuilder('m').setParameters({ today: filter.today });
    if (filter.status === 'upcoming') query.andWhere('m.releaseDate > :today');
    if (filter.status === 'showing') {
      query.andWhere('m.releaseDate <= :today').andWhere('(m.offDate IS NULL OR m.offDate >= :today)');
    }
    if (filter.status === 'off') query.andWhere('m.offDate < :today');
    if (filter.q) {
      query.andWhere("(m.title LIKE :q ESCAPE '!' OR m.director LIKE :q ESCAPE '!' OR m.actors LIKE :q ESCAPE '!')", {
        q: containsPattern(filter.q),
      });
    }
    // Upcoming: what opens next comes first; everything else: the newest release first.
    const direction = filter.status === 'upcoming' ? 'ASC' : 'DESC';
    return query
      .orderBy('m.releaseDate', direction)
      .addOrderBy('m.id', direction)
      .skip(skip)
      .take(take)
      .getManyAndCount();
  }

  insert(manager: EntityManager, fields: NewMovie): Promise<Movie> {
    return manager.save(manager.create(Movie, fields));
  }

  insertMany(manager: EntityManager, movies: NewMovie[]): Promise<Movie[]> {
    return manager.save(movies.map((fields) => manager.create(Movie, fields)));
  }

  exists(manager: EntityManager): Promise<boolean> {
    return manager.getRepository(Movie).exists();
  }

  async update(manager: EntityManager, id: number, patch: Partial<NewMovie>): Promise<Movie> {
    const set = definedOnly(patch);
    if (Object.keys(set).length) await manager.update(Movie, { id }, set);
    return manager.findOneByOrFail(Movie, { id });
  }

  /** The foreign keys cascade to its showtimes and their unpaid or cancelled orders. */
  async delete(manager: EntityManager, id: number): Promise<void> {
    await manager.delete(Movie, { id });
  }
}
