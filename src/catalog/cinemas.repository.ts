import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { CinemaListRow } from './dto/cinema.dto';
import { Cinema } from './entities/cinema.entity';

export interface CinemaListFilter {
  city?: string;
  movieId?: number;
  /** showtimes starting after this count as future */
  now: Date;
}

export type NewCinema = Pick<Cinema, 'name' | 'city' | 'address' | 'ownerId'> &
  Partial<Pick<Cinema, 'contactName' | 'contactPhone' | 'website' | 'description'>>;

export type CinemaPatch = Partial<
  Pick<
    Cinema,
    'logoUrl' | 'tel' | 'website' | 'description' | 'contactName' | 'contactPhone' | 'paymentAccount' | 'status'
  >
>;

@Injectable()
export class CinemasRepository {
  constructor(@InjectRepository(Cinema) private readonly cinemas: Repository<Cinema>) {}

  findById(id: number): Promise<Cinema | null> {
    return this.cinemas.findOneBy({ id });
  }

  /**
   * One page of active cinemas with their lowest future price, computed by a correlated subquery
   * in the same statement (ix_schedules_cinema_day narrows it to the cinema's showtimes).
   */
  async listActive(filter: CinemaListFilter, skip: number, take: number): Promise<[CinemaListRow[], number]> {
    const movieClause = filter.movieId === undefined ? '' : ' AND s.movie_id = :movieId';
    const rows = await this.activeCinemas(filter)
      .select(['c.id AS id', 'c.name AS name', 'c.city AS city', 'c.address AS address'])
      .addSelect(
        `(SELECT MIN(s.price_cents) FROM schedules s WHERE s.cinema_id = c.id AND s.starts_at > :now${movieClause})`,
        'begin_price_cents',
      )
      .orderBy('c.id', 'ASC')
      .offset(skip)
      .limit(take)
      .getRawMany<{ id: number; name: string; city: string; address: string; begin_price_cents: unknown }>();
    const total = await this.activeCinemas(filter).getCount();
    return [
      rows.map((r) => ({
        id: Number(r.id),
        name: r.name,
        city: r.city,
        address: r.address,
        beginPriceCents: r.begin_price_cents === null ? null : Number(r.begin_price_cents),
      })),
      total,
    ];
  }

  async insert(manager: EntityManager, fields: NewCinema): Promise<Cinema> {
    const cinema = manager.create(Cinema, { status: 'active', ...fields });
    return manager.save(cinema);
  }

  async update(manager: EntityManager, id: number, patch: CinemaPatch): Promise<Cinema> {
    const set = definedOnly(patch);
    if (Object.keys(set).length) await manager.update(Cinema, { id }, set);
    return manager.findOneByOrFail(Cinema, { id });
  }

  private activeCinemas(filter: CinemaListFilter): SelectQueryBuilder<Cinema> {
    const query = this.cinemas
      .createQueryBuilder('c')
      .where('c.status = :active', { active: 'active', now: filter.now, movieId: filter.movieId });
    if (filter.city !== undefined) query.andWhere('c.city = :city', { city: filter.city });
    if (filter.movieId !== undefined) {
      query.andWhere(
        'EXISTS (SELECT 1 FROM schedules f WHERE f.cinema_id = c.id AND f.movie_id = :movieId AND f.starts_at > :now)',
      );
    }
    return query;
  }
}

/** A PATCH leaves out what it does not change; `null` stays, as it clears a field. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
