import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { Schedule } from './entities/schedule.entity';

export type NewSchedule = Pick<
  Schedule,
  'movieId' | 'hallId' | 'cinemaId' | 'startsAt' | 'endsAt' | 'showDate' | 'priceCents' | 'seatCount'
> &
  Partial<Pick<Schedule, 'zonePrices' | 'ticketTypes'>>;
export type ScheduleChanges = Partial<
  Pick<
    Schedule,
    'hallId' | 'startsAt' | 'endsAt' | 'showDate' | 'priceCents' | 'seatCount' | 'zonePrices' | 'ticketTypes'
  >
>;

const INSERT_CHUNK = 100;

/** The schedule rows themselves: scheduling's reads, locks and writes. */
@Injectable()
export class SchedulesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: TransactionRunner,
  ) {}

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

  async insert(manager: EntityManager, schedule: NewSchedule): Promise<number> {
    const saved = await manager.getRepository(Schedule).save({ ...schedule, soldCount: 0 });
    return saved.id;
  }

  async insertMany(manager: EntityManager, schedules: NewSchedule[]): Promise<void> {
    for (let i = 0; i < schedules.length; i += INSERT_CHUNK) {
      const chunk = schedules.slice(i, i + INSERT_CHUNK).map((schedule) => ({ ...schedule, soldCount: 0 }));
      await manager.insert(Schedule, chunk);
    }
  }

  async update(manager: EntityManager, id: number, changes: ScheduleChanges): Promise<void> {
    await manager.getRepository(Schedule).update({ id }, changes);
  }

  /** Orders and seat claims of the showtime go with it (foreign keys cascade). */
  async delete(manager: EntityManager, id: number): Promise<void> {
    await manager.getRepository(Schedule).delete({ id });
  }
}
