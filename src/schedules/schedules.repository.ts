import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Movie } from '../catalog/entities/movie.entity';
import { TransactionRunner } from '../database/transaction-runner';
import { lockActiveHall } from '../halls/hall-lock';
import { Hall } from '../halls/entities/hall.entity';
import { SeatClaim } from '../ticketing/entities/seat-claim.entity';
import { Schedule } from './entities/schedule.entity';

export type NewSchedule = Pick<
  Schedule,
  'movieId' | 'hallId' | 'cinemaId' | 'startsAt' | 'endsAt' | 'showDate' | 'priceCents' | 'seatCount'
>;
export type ScheduleChanges = Partial<
  Pick<Schedule, 'hallId' | 'startsAt' | 'endsAt' | 'showDate' | 'priceCents' | 'seatCount'>
>;

/** The schedule rows themselves, and the hall and movie rows that scheduling checks and locks. */
@Injectable()
export class SchedulesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: TransactionRunner,
  ) {}

  findActiveHall(id: number): Promise<Hall | null> {
    return this.dataSource.getRepository(Hall).findOneBy({ id, deletedAt: IsNull() });
  }

  /**
   * Locks the hall row for the rest of the transaction: two requests scheduling into one hall (or a
   * layout change, or a delete) take turns, so the overlap check and the insert cannot interleave.
   */
  lockActiveHall(manager: EntityManager, id: number): Promise<Hall | null> {
    return lockActiveHall(this.runner, manager, id);
  }

  findMovie(id: number, manager: EntityManager = this.dataSource.manager): Promise<Movie | null> {
    return manager.getRepository(Movie).findOneBy({ id });
  }

  findById(id: number): Promise<Schedule | null> {
    return this.dataSource.getRepository(Schedule).findOneBy({ id });
  }

  /** Locks the showtime row, so that its sold counter cannot move between the check and the change. */
  lockById(manager: EntityManager, id: number): Promise<Schedule | null> {
    const query = manager.getRepository(Schedule).createQueryBuilder('s').where('s.id = :id', { id });
    return this.runner.forUpdate(query).getOne();
  }

  /** The earliest showtime of the hall within the bounds of `clashBounds`, other than `exceptId`. */
  findClash(
    manager: EntityManager,
    hallId: number,
    bounds: { startsBefore: Date; endsAfter: Date },
    exceptId?: number,
  ): Promise<Schedule | null> {
    const query = manager
      .getRepository(Schedule)
      .createQueryBuilder('s')
      .where('s.hall_id = :hallId', { hallId })
      .andWhere('s.starts_at < :startsBefore', { startsBefore: bounds.startsBefore })
      .andWhere('s.ends_at > :endsAfter', { endsAfter: bounds.endsAfter })
      .orderBy('s.startsAt', 'ASC');
    if (exceptId !== undefined) query.andWhere('s.id <> :exceptId', { exceptId });
    return query.getOne();
  }

  /** Seats sold (claim without expiry) or held by a hold that has not lapsed. */
  hasLiveClaims(manager: EntityManager, scheduleId: number, now: Date): Promise<boolean> {
    return manager
      .getRepository(SeatClaim)
      .createQueryBuilder('c')
      .where('c.schedule_id = :scheduleId', { scheduleId })
      .andWhere('(c.expires_at IS NULL OR c.expires_at > :now)', { now })
      .getExists();
  }

  async insert(manager: EntityManager, schedule: NewSchedule): Promise<number> {
    const saved = await manager.getRepository(Schedule).save({ ...schedule, soldCount: 0 });
    return saved.id;
  }

  async update(manager: EntityManager, id: number, changes: ScheduleChanges): Promise<void> {
    await manager.getRepository(Schedule).update({ id }, changes);
  }

  /** Orders and seat claims of the showtime go with it (foreign keys cascade). */
  async delete(manager: EntityManager, id: number): Promise<void> {
    await manager.getRepository(Schedule).delete({ id });
  }
}
