import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { SeatPosition } from '../halls/entities/hall.entity';
import { SeatClaim } from './entities/seat-claim.entity';
import { instantOf } from '../database/raw-sql';
import {
  PREVIOUS_INSERT_ID,
  readStatement,
  SqlCondition,
  Statement,
  writeStatement,
  WriteResult,
} from '../database/statement';

export interface HeldClaim {
  id: number;
  row: number;
  col: number;
  userId: number;
  /** null once sold */
  expiresAt: Date | null;
}

interface ClaimRow {
  id: unknown;
  seat_row: unknown;
  seat_col: unknown;
  user_id: unknown;
  expires_at: unknown;
}

/** Queries on seat_claims: the table whose unique key (schedule, row, col) is the whole anti-double-sale guarantee. */
@Injectable()
export class SeatClaimsRepository {
  /**
   * In one read, the claims of the showtime that either belong to the users (for the per-user cap)
   * or sit on the wanted seats (to name them in a 2003 up front, or to clear lapsed holds from
   * them), lapsed ones included: the caller tells live from lapsed by `now`. The caller holds the
   * showtime's row lock, which every change of its claims takes first, so what it reads stays true.
   */
  ofUsersOrSeats(scheduleId: number, userIds: number[], seats: SeatPosition[]): Statement<HeldClaim[]> {
    const params: Record<string, number | number[]> = { scheduleId, userIds };
    const columns =
      'SELECT id, seat_row, seat_col, user_id, expires_at FROM seat_claims WHERE schedule_id = :scheduleId';
    // One index lookup per part: an OR of them made both databases walk every claim of the showtime.
    const onSeats = seats.map((seat, i) => {
      params[`row${i}`] = seat.row;
      params[`col${i}`] = seat.col;
      return `${columns} AND seat_row = :row${i} AND seat_col = :col${i}`;
    });
    return readStatement<ClaimRow, HeldClaim[]>(
      [`${columns} AND user_id IN (:...userIds)`, ...onSeats].join(' UNION '),
      params,
      (rows) =>
        rows.map((r) => ({
          id: Number(r.id),
          row: Number(r.seat_row),
          col: Number(r.seat_col),
          userId: Number(r.user_id),
          expiresAt: instantOf(r.expires_at),
        })),
    );
  }

  /** Lapsed holds on the wanted seats, by primary key: they block nothing, but the unique key still sees them. */
  deleteByIds(ids: number[]): Statement<WriteResult> {
    return writeStatement('DELETE FROM seat_claims WHERE id IN (:...ids)', { ids });
  }

  /**
   * One statement for all seats; a duplicate key (uq_seat_claims_seat) means a seat is taken.
   * `orderId` may be PREVIOUS_INSERT_ID, for an order inserted just before in the same batch.
   */
  insertClaims(
    claim: { scheduleId: number; orderId: number | typeof PREVIOUS_INSERT_ID; userId: number; expiresAt: Date },
    seats: SeatPosition[],
  ): Statement<WriteResult> {
    const params: Record<string, unknown> = { ...claim };
    const values = seats.map((seat, i) => {
      params[`row${i}`] = seat.row;
      params[`col${i}`] = seat.col;
      return `(:scheduleId, :row${i}, :col${i}, :orderId, :userId, :expiresAt)`;
    });
    return writeStatement(
      `INSERT INTO seat_claims (schedule_id, seat_row, seat_col, order_id, user_id, expires_at) VALUES ${values.join(', ')}`,
      params,
    );
  }

  /** The order's claims become permanent (sold), if `condition` holds (the order was just paid). */
  makePermanent(orderId: number, condition: SqlCondition): Statement<number> {
    const sql = `UPDATE seat_claims SET expires_at = NULL WHERE order_id = :orderId AND expires_at IS NOT NULL AND ${condition.sql}`;
    return writeStatement(sql, { ...condition.params, orderId }, ({ affected }) => affected);
  }

  /** SQL counting the claims of the orders that `orderIds` (a subquery) selects: their seats. */
  countOfOrders(orderIds: SqlCondition): SqlCondition {
    return { sql: `(SELECT COUNT(*) FROM seat_claims WHERE order_id IN (${orderIds.sql}))`, params: orderIds.params };
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
