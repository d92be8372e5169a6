import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import { lockActiveHall } from './hall-lock';
import { Schedule } from '../schedules/entities/schedule.entity';
import { SeatClaim } from '../ticketing/entities/seat-claim.entity';
import { Hall, SeatPosition } from './entities/hall.entity';

export type NewHall = Pick<Hall, 'cinemaId' | 'name' | 'rows' | 'cols' | 'disabledSeats' | 'seatCount' | 'description'>;
export type HallChanges = Partial<Pick<Hall, 'name' | 'rows' | 'cols' | 'disabledSeats' | 'seatCount' | 'description'>>;

/** A seat someone holds a live claim on for a showtime that has not ended yet. */
export interface ClaimedSeat extends SeatPosition {
  scheduleId: number;
}

@Injectable()
export class HallsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: TransactionRunner,
  ) {}

  /** A hall that is not deleted. */
  findActive(id: number, manager: EntityManager = this.dataSource.manager): Promise<Hall | null> {
    return manager.getRepository(Hall).findOneBy({ id, deletedAt: IsNull() });
  }

  /** Locks the hall row: showtime scheduling locks it too, so layout changes and deletes queue with it. */
  findActiveForUpdate(manager: EntityManager, id: number): Promise<Hall | null> {
    return lockActiveHall(this.runner, manager, id);
  }

  listByCinema(cinemaId: number, window?: { skip: number; take: number }): Promise<[Hall[], number]> {
    return this.dataSource.getRepository(Hall).findAndCount({
      where: { cinemaId, deletedAt: IsNull() },
      order: { id: 'ASC' },
      ...window,
    });
  }

  async insert(manager: EntityManager, hall: NewHall): Promise<Hall> {
    return manager.getRepository(Hall).save({ ...hall, deletedAt: null });
  }

  async update(manager: EntityManager, id: number, changes: HallChanges): Promise<void> {
    await manager.getRepository(Hall).update({ id }, changes);
  }

  /** Seats sold (claim without expiry) or held (claim not yet lapsed) for this hall's showtimes not yet ended. */
  async findClaimedSeats(manager: EntityManager, hallId: number, now: Date): Promise<ClaimedSeat[]> {
    const rows = await manager
      .getRepository(SeatClaim)
      .createQueryBuilder('c')
      .innerJoin(Schedule, 's', 's.id = c.schedule_id')
      .select(['c.schedule_id AS scheduleId', 'c.seat_row AS seatRow', 'c.seat_col AS seatCol'])
      .where('s.hall_id = :hallId', { hallId })
      .andWhere('s.ends_at > :now', { now })
      .andWhere('(c.expires_at IS NULL OR c.expires_at > :now)', { now })
      .getRawMany<{ scheduleId: number | string; seatRow: number | string; seatCol: number | string }>();
    return rows.map((r) => ({ scheduleId: Number(r.scheduleId), row: Number(r.seatRow), col: Number(r.seatCol) }));
  }

  /** Showtimes not yet ended put the hall's new seat count on sale. */
  async syncUpcomingSeatCounts(manager: EntityManager, hallId: number, seatCount: number, now: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(Schedule)
      .set({ seatCount })
      .where('hall_id = :hallId', { hallId })
      .andWhere('ends_at > :now', { now })
      .execute();
  }

  countUpcomingSchedules(manager: EntityManager, hallId: number, now: Date): Promise<number> {
    return manager
      .getRepository(Schedule)
      .createQueryBuilder('s')
      .where('s.hall_id = :hallId', { hallId })
      .andWhere('s.ends_at > :now', { now })
      .getCount();
  }

  hasAnySchedule(manager: EntityManager, hallId: number): Promise<boolean> {
    return manager.getRepository(Schedule).exists({ where: { hallId } });
  }

  async delete(manager: EntityManager, id: number): Promise<void> {
    await manager.getRepository(Hall).delete({ id });
  }

  /** Keeps the row for its past showtimes (the foreign key would cascade them away) and frees the name. */
  async softDelete(manager: EntityManager, hall: Hall, now: Date): Promise<void> {
    await manager.getRepository(Hall).update({ id: hall.id }, { deletedAt: now, name: `${hall.name}~${hall.id}` });
  }
}
