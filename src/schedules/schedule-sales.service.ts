import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CinemaStatus } from '../catalog/entities/cinema.entity';
import type { SeatPosition } from '../halls/entities/hall.entity';
import { Schedule } from './entities/schedule.entity';

/** What ticketing needs to know about a showtime to sell its seats, read in one query. */
export interface SaleContext {
  scheduleId: number;
  startsAt: Date;
  priceCents: number;
  movieTitle: string;
  cinemaId: number;
  cinemaName: string;
  cinemaOwnerId: number | null;
  cinemaStatus: CinemaStatus;
  hallId: number;
  hallName: string;
  rows: number;
  cols: number;
  disabledSeats: SeatPosition[];
}

/** The schedules module's face towards ticketing: sale context reads and the sold counter. */
@Injectable()
export class ScheduleSalesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findSaleContext(
    scheduleId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SaleContext | null> {
    const schedule = await manager
      .getRepository(Schedule)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.movie', 'm')
      .innerJoinAndSelect('s.hall', 'h')
      .innerJoinAndSelect('s.cinema', 'c')
      .where('s.id = :scheduleId', { scheduleId })
      .getOne();
    if (!schedule?.movie || !schedule.hall || !schedule.cinema) return null;
    return {
      scheduleId: schedule.id,
      startsAt: schedule.startsAt,
      priceCents: schedule.priceCents,
      movieTitle: schedule.movie.title,
      cinemaId: schedule.cinemaId,
      cinemaName: schedule.cinema.name,
      cinemaOwnerId: schedule.cinema.ownerId,
      cinemaStatus: schedule.cinema.status,
      hallId: schedule.hallId,
      hallName: schedule.hall.name,
      rows: schedule.hall.rows,
      cols: schedule.hall.cols,
      disabledSeats: schedule.hall.disabledSeats,
    };
  }

  /** Payment adds its seats, a refund takes them back, in the transaction that changes the order. */
  async adjustSoldCount(manager: EntityManager, scheduleId: number, delta: number): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(Schedule)
      .set({ soldCount: () => `sold_count + ${Math.trunc(delta)}` })
      .where('id = :scheduleId', { scheduleId })
      .execute();
  }
}
