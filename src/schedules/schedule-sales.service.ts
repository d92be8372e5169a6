import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CinemaStatus } from '../catalog/entities/cinema.entity';
import type { Transaction } from '../database/transaction';
import type { SeatPosition } from '../halls/entities/hall.entity';
import { Schedule } from './entities/schedule.entity';
import { ScheduleSalesRepository } from './schedule-sales.repository';

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

/**
 * The schedules module's face towards the sale path. A showtime's row is the lock that every change
 * of its seats takes first, and its seat version and sold count move only here, inside the
 * transaction that changes the seats (docs/ARCHITECTURE.md, "Lock order").
 */
@Injectable()
export class ScheduleSalesService {
  constructor(
    private readonly repository: ScheduleSalesRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The showtimes' row locks, in id order. Updating an order makes InnoDB share-lock its showtime
   * row for the foreign key; upgrading that later would deadlock against a hold queued for the same
   * row, so the exclusive lock comes first.
   */
  async lockSeats(tx: Transaction, scheduleIds: number[]): Promise<void> {
    if (scheduleIds.length) await this.repository.lock(tx, scheduleIds);
  }

  /** The showtime as a sale sees it; null when there is none. */
  saleContext(tx: Transaction, scheduleId: number): Promise<SaleContext | null> {
    return this.repository.saleContext(tx, scheduleId);
  }

  /**
   * A change of the showtime's seats: the next seat version (what the live seat map orders its
   * events by), and the sold count moved by `soldDelta` (a payment adds its seats, a refund takes
   * them back). null when there is no such showtime.
   */
  recordSeatChange(tx: Transaction, scheduleId: number, soldDelta = 0): Promise<number | null> {
    return this.repository.bumpVersion(tx, scheduleId, soldDelta);
  }

  /** The seat version committed last, for a live stream's snapshot. */
  async seatVersion(scheduleId: number): Promise<number> {
    const row = await this.dataSource.manager
      .createQueryBuilder(Schedule, 's')
      .select('s.seat_version', 'version')
      .where('s.id = :scheduleId', { scheduleId })
      .getRawOne<{ version: number | string }>();
    return Number(row?.version ?? 0);
  }
}
