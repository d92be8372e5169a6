import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { ScheduleView } from './dto/showtime.dto';
import { Schedule } from './entities/schedule.entity';

export interface ShowtimeFilter {
  movieId?: number;
  cinemaId?: number;
  hallId?: number;
  /** a local day (show_date); without it, showtimes ending after `now` */
  date?: string;
  now: Date;
}

/** Showtimes as the API shows them: each with its movie title, hall and cinema names, in one query. */
@Injectable()
export class ScheduleViewsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findView(id: number, manager: EntityManager = this.dataSource.manager): Promise<ScheduleView | null> {
    const view = await this.viewQuery(manager).where('s.id = :id', { id }).getOne();
    return view as ScheduleView | null;
  }

  /** Public listing: only active cinemas and halls not deleted, soonest first. */
  async list(filter: ShowtimeFilter, window: { skip: number; take: number }): Promise<[ScheduleView[], number]> {
    const query = this.viewQuery().where('c.status = :active', { active: 'active' }).andWhere('h.deleted_at IS NULL');
    if (filter.movieId !== undefined) query.andWhere('s.movie_id = :movieId', { movieId: filter.movieId });
    if (filter.cinemaId !== undefined) query.andWhere('s.cinema_id = :cinemaId', { cinemaId: filter.cinemaId });
    if (filter.hallId !== undefined) query.andWhere('s.hall_id = :hallId', { hallId: filter.hallId });
    if (filter.date !== undefined) query.andWhere('s.show_date = :date', { date: filter.date });
    else query.andWhere('s.ends_at > :now', { now: filter.now });
    // Many-to-one joins do not multiply rows, so a plain LIMIT pages correctly (skip/take would add a query).
    query.orderBy('s.startsAt', 'ASC').addOrderBy('s.id', 'ASC').offset(window.skip).limit(window.take);
    const [items, total] = await Promise.all([query.getMany(), query.getCount()]);
    return [items as ScheduleView[], total];
  }

  /** Every showtime of the hall on a local day, soonest first: the slots already taken. */
  async listHallDay(hallId: number, day: string): Promise<ScheduleView[]> {
    const items = await this.viewQuery()
      .where('s.hall_id = :hallId', { hallId })
      .andWhere('s.show_date = :day', { day })
      .orderBy('s.startsAt', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
    return items as ScheduleView[];
  }

  private viewQuery(manager: EntityManager = this.dataSource.manager): SelectQueryBuilder<Schedule> {
    return manager
      .getRepository(Schedule)
      .createQueryBuilder('s')
      .innerJoin('s.movie', 'm')
      .addSelect(['m.id', 'm.title'])
      .innerJoin('s.hall', 'h')
      .addSelect(['h.id', 'h.name', 'h.deletedAt'])
      .innerJoin('s.cinema', 'c')
      .addSelect(['c.id', 'c.name']);
  }
}
