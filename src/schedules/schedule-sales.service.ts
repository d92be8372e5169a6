import { Injectable } from '@nestjs/common';
import type { Transaction } from '../database/transaction';
import type { SaleContext } from './sale-context';
import { ScheduleSalesRepository } from './schedule-sales.repository';

export type { SaleContext } from './sale-context';

/**
 * The schedules module's face towards the sale path. A showtime's row is the lock that every change
 * of its seats takes first, and its seat version and sold count move only here, inside the
 * transaction that changes the seats (docs/ARCHITECTURE.md, "Lock order").
 */
@Injectable()
export class ScheduleSalesService {
  constructor(private readonly repository: ScheduleSalesRepository) {}

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
  seatVersion(scheduleId: number): Promise<number> {
    return this.repository.seatVersion(scheduleId);
  }
}
