import { Injectable } from '@nestjs/common';
import { instantOf } from '../database/raw-sql';
import { PREVIOUS_INSERT_ID, readStatement, Statement, writeStatement } from '../database/statement';
import type { Transaction } from '../database/transaction';
import type { SeatPosition } from '../halls/hall-layout';

export interface HeldClaim {
  id: number;
  row: number;
  col: number;
  userId: number;
  orderId: number;
  /** null once sold */
  expiresAt: Date | null;
}

interface ClaimRow {
  id: unknown;
  seat_row: unknown;
  seat_col: unknown;
  user_id: unknown;
  order_id: unknown;
  expires_at: unknown;
}

const CLAIM_COLUMNS =
  'SELECT id, seat_row, seat_col, user_id, order_id, expires_at FROM seat_claims WHERE schedule_id = :scheduleId';

/** One SELECT per seat, each an index lookup on the seat's unique key. */
function onSeatsParts(scheduleId: number, seats: SeatPosition[]): { parts: string[]; params: Record<string, number> } {
  const params: Record<string, number> = { scheduleId };
  const parts = seats.map((seat, i) => {
    params[`row${i}`] = seat.row;
    params[`col${i}`] = seat.col;
    return `${CLAIM_COLUMNS} AND seat_row = :row${i} AND seat_col = :col${i}`;
  });
  return { parts, params };
}

function toClaims(rows: ClaimRow[]): HeldClaim[] {
  return rows.map((r) => ({
    id: Number(r.id),
    row: Number(r.seat_row),
    col: Number(r.seat_col),
    userId: Number(r.user_id),
    orderId: Number(r.order_id),
    expiresAt: instantOf(r.expires_at),
  }));
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
  ofUsersOrSeats(tx: Transaction, scheduleId: number, userIds: number[], seats: SeatPosition[]): Promise<HeldClaim[]> {
    const { parts, params } = onSeatsParts(scheduleId, seats);
    // One index lookup per part: an OR of them made both databases walk every claim of the showtime.
    const ofUsers = `${CLAIM_COLUMNS} AND user_id IN (:...userIds)`;
    return tx.send(readStatement([ofUsers, ...parts].join(' UNION '), { ...params, userIds }, toClaims));
  }

  /** Whoever claims these seats now, lapsed claims included: a late payment asks before it takes them. */
  onSeats(tx: Transaction, scheduleId: number, seats: SeatPosition[]): Promise<HeldClaim[]> {
    const { parts, params } = onSeatsParts(scheduleId, seats);
    return tx.send(readStatement(parts.join(' UNION '), params, toClaims));
  }

  /** Every claim in these rows of the showtime: the single-seat-gap rule judges whole rows. */
  inRows(tx: Transaction, scheduleId: number, rows: number[]): Promise<HeldClaim[]> {
    return tx.send(readStatement(`${CLAIM_COLUMNS} AND seat_row IN (:...rows)`, { scheduleId, rows }, toClaims));
  }

  async insert(tx: Transaction, claim: Parameters<typeof claimsInsert>[0], seats: SeatPosition[]): Promise<void> {
    await tx.send(claimsInsert(claim, seats));
  }

  /** Lapsed holds, by primary key: they block nothing, but the unique key still sees them. */
  async deleteByIds(tx: Transaction, ids: number[]): Promise<void> {
    if (ids.length) await tx.send(writeStatement('DELETE FROM seat_claims WHERE id IN (:...ids)', { ids }));
  }

  /** The order's claims become permanent (sold). */
  async makePermanent(tx: Transaction, orderId: number): Promise<void> {
    await tx.send(
      writeStatement('UPDATE seat_claims SET expires_at = NULL WHERE order_id = :orderId AND expires_at IS NOT NULL', {
        orderId,
      }),
    );
  }

  async deleteOfOrder(tx: Transaction, orderId: number): Promise<void> {
    await tx.send(writeStatement('DELETE FROM seat_claims WHERE order_id = :orderId', { orderId }));
  }

  /** The seats that a sweep of these orders frees, for the live seat map. */
  findLapsedOfOrders(
    tx: Transaction,
    orderIds: number[],
    now: Date,
  ): Promise<{ scheduleId: number; row: number; col: number }[]> {
    return tx.send(
      readStatement<
        { schedule_id: unknown; seat_row: unknown; seat_col: unknown },
        { scheduleId: number; row: number; col: number }[]
      >(
        `SELECT schedule_id, seat_row, seat_col FROM seat_claims
          WHERE order_id IN (:...orderIds) AND expires_at IS NOT NULL AND expires_at <= :now`,
        { orderIds, now },
        (rows) =>
          rows.map((r) => ({ scheduleId: Number(r.schedule_id), row: Number(r.seat_row), col: Number(r.seat_col) })),
      ),
    );
  }

  /** Only unsold claims past their hold: a claim made permanent by a payment that won a race stays. */
  async deleteLapsedOfOrders(tx: Transaction, orderIds: number[], now: Date): Promise<void> {
    await tx.send(
      writeStatement(
        'DELETE FROM seat_claims WHERE order_id IN (:...orderIds) AND expires_at IS NOT NULL AND expires_at <= :now',
        { orderIds, now },
      ),
    );
  }
}

/**
 * One statement for all seats of an order; a duplicate key (uq_seat_claims_seat) means a seat is
 * taken. `orderId` may be PREVIOUS_INSERT_ID, for an order inserted just before it.
 */
export function claimsInsert(
  claim: { scheduleId: number; orderId: number | typeof PREVIOUS_INSERT_ID; userId: number; expiresAt: Date },
  seats: SeatPosition[],
): Statement<unknown> {
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
