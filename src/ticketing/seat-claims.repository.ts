import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager } from 'typeorm';
import { TransactionRunner } from '../database/transaction-runner';
import type { SeatPosition } from '../halls/entities/hall.entity';
import { User } from '../users/entities/user.entity';
import { SeatClaim } from './entities/seat-claim.entity';

/** Queries on seat_claims: the table whose unique key (schedule, row, col) is the whole anti-double-sale guarantee. */
@Injectable()
export class SeatClaimsRepository {
  constructor(private readonly runner: TransactionRunner) {}

  /**
   * Holds of one user take turns (row lock on the user until commit), so that two racing holds
   * cannot both count the same few seats under the per-user cap.
   */
  async lockUserForHolds(manager: EntityManager, userId: number): Promise<void> {
    const query = manager
      .getRepository(User)
      .createQueryBuilder('u')
      .select('u.id', 'id')
      .where('u.id = :userId', { userId });
    await this.runner.forUpdate(query).getRawOne();
  }

  /**
   * In one read, the live claims (unexpired holds and sales) of the showtime that either belong to
   * the user (for the per-user cap) or sit on the wanted seats (to name them in a 2003 up front).
   */
  async findLiveOfUserOrSeats(
    manager: EntityManager,
    scheduleId: number,
    userId: number,
    seats: SeatPosition[],
    now: Date,
  ): Promise<{ row: number; col: number; userId: number }[]> {
    const rows = await manager
      .getRepository(SeatClaim)
      .createQueryBuilder('sc')
      .select('sc.seatRow', 'row')
      .addSelect('sc.seatCol', 'col')
      .addSelect('sc.userId', 'userId')
      .where('sc.scheduleId = :scheduleId', { scheduleId })
      .andWhere(new Brackets((q) => q.where('sc.userId = :userId', { userId }).orWhere(seatsCondition(seats))))
      .andWhere(new Brackets((q) => q.where('sc.expiresAt IS NULL').orWhere('sc.expiresAt > :now', { now })))
      .getRawMany<{ row: number | string; col: number | string; userId: number | string }>();
    return rows.map((r) => ({ row: Number(r.row), col: Number(r.col), userId: Number(r.userId) }));
  }

  /** A lapsed hold blocks nothing: its claims on the wanted seats go before the new claims are inserted. */
  async deleteLapsedOnSeats(
    manager: EntityManager,
    scheduleId: number,
    seats: SeatPosition[],
    now: Date,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .delete()
      .from(SeatClaim)
      .where('schedule_id = :scheduleId AND expires_at IS NOT NULL AND expires_at <= :now', { scheduleId, now })
      .andWhere(seatsCondition(seats))
      .execute();
  }

  /** One statement for all seats; a duplicate key (uq_seat_claims_seat) means a seat is taken. */
  async insertClaims(
    manager: EntityManager,
    claim: { scheduleId: number; orderId: number; userId: number; expiresAt: Date },
    seats: SeatPosition[],
  ): Promise<void> {
    const rows = seats.map((seat) => ({ ...claim, seatRow: seat.row, seatCol: seat.col }));
    await manager.createQueryBuilder().insert().into(SeatClaim).values(rows).updateEntity(false).execute();
  }

  /** The order's claims become permanent (sold); the count tells whether every one was still there. */
  async makePermanent(manager: EntityManager, orderId: number): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(SeatClaim)
      .set({ expiresAt: null })
      .where('order_id = :orderId AND expires_at IS NOT NULL', { orderId })
      .execute();
    return result.affected ?? 0;
  }

  async deleteOfOrder(manager: EntityManager, orderId: number): Promise<void> {
    await manager.createQueryBuilder().delete().from(SeatClaim).where('order_id = :orderId', { orderId }).execute();
  }

  /** The seats that a sweep of these orders frees, for the live seat map. */
  async findLapsedOfOrders(
    manager: EntityManager,
    orderIds: number[],
    now: Date,
  ): Promise<{ scheduleId: number; row: number; col: number }[]> {
    const rows = await manager
      .getRepository(SeatClaim)
      .createQueryBuilder('sc')
      .select('sc.scheduleId', 'scheduleId')
      .addSelect('sc.seatRow', 'row')
      .addSelect('sc.seatCol', 'col')
      .where('sc.orderId IN (:...orderIds) AND sc.expiresAt IS NOT NULL AND sc.expiresAt <= :now', { orderIds, now })
      .getRawMany<{ scheduleId: number | string; row: number | string; col: number | string }>();
    return rows.map((r) => ({ scheduleId: Number(r.scheduleId), row: Number(r.row), col: Number(r.col) }));
  }

  /** Only unsold claims past their hold: a claim made permanent by a payment that won a race stays. */
  async deleteLapsedOfOrders(manager: EntityManager, orderIds: number[], now: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(SeatClaim)
      .where('order_id IN (:...orderIds) AND expires_at IS NOT NULL AND expires_at <= :now', { orderIds, now })
      .execute();
    return result.affected ?? 0;
  }
}

function seatsCondition(seats: SeatPosition[]): Brackets {
  return new Brackets((q) => {
    seats.forEach((seat, i) => {
      q.orWhere(`(seat_row = :row${i} AND seat_col = :col${i})`, { [`row${i}`]: seat.row, [`col${i}`]: seat.col });
    });
  });
}
