import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { Cinema } from './entities/cinema.entity';

export interface CinemaListFilter {
  city?: string;
  /** only these cinemas (those showing a movie) */
  ids?: number[];
}

/** A line of the public list; the begin price comes from the showtimes. */
export type CinemaListEntry = Pick<Cinema, 'id' | 'name' | 'city' | 'address'>;

export type NewCinema = Pick<Cinema, 'name' | 'city' | 'address' | 'ownerId'> &
  Partial<Pick<Cinema, 'contactName' | 'contactPhone' | 'website' | 'description' | 'tel' | 'paymentAccount'>>;

export type CinemaPatch = Partial<
  Pick<
    Cinema,
    | 'logoUrl'
    | 'tel'
    | 'website'
    | 'description'
    | 'contactName'
    | 'contactPhone'
    | 'paymentAccount'
    | 'status'
    | 'noSingleSeatGap'
  >
>;

@Injectable()
export class CinemasRepository {
  constructor(@InjectRepository(Cinema) private readonly cinemas: Repository<Cinema>) {}

  findById(id: number): Promise<Cinema | null> {
    return this.cinemas.findOneBy({ id });
  }

  /** One page of active cinemas by id. */
  listActive(filter: CinemaListFilter, skip: number, take: number): Promise<[CinemaListEntry[], number]> {
    return this.activeCinemas(filter)
      .select(['c.id', 'c.name', 'c.city', 'c.address'])
      .orderBy('c.id', 'ASC')
      .skip(skip)
      .take(take)
      .getManyAndCount();
  }

  exists(manager: EntityManager): Promise<boolean> {
    return manager.getRepository(Cinema).exists();
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
    const query = this.cinemas.createQueryBuilder('c').where('c.status = :active', { active: 'active' });
    if (filter.city !== undefined) query.andWhere('c.city = :city', { city: filter.city });
    // `IN ()` is not SQL; no cinema showing the movie is an empty page anyway.
    const { ids } = filter;
    if (ids !== undefined) query.andWhere(ids.length ? 'c.id IN (:...ids)' : '1 = 0', { ids });
    return query;
  }
}

/** A PATCH leaves out what it does not change; `null` stays, as it clears a field. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
