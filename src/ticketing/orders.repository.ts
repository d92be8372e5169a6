import { Injectable } from '@nestjs/common';
import { PREVIOUS_INSERT_ID, readStatement, writeStatement } from '../database/statement';
import type { Transaction } from '../database/transaction';
import type { Order, OrderSeat } from './entities/order.entity';
import { claimsInsert } from './seat-claims.repository';

export interface NewOrder {
  userId: number;
  scheduleId: number;
  seats: OrderSeat[];
  unitPriceCents: number;
  amountCents: number;
  discountCents: number;
  voucherId: number | null;
  voucherCode: string | null;
  expiresAt: Date;
  createdAt: Date;
}

export interface PaidFields {
  paidAt: Date;
  ticketCode: string;
  paymentChannel: string;
}

/**
 * Every change of an order's state, each a conditional UPDATE inside the caller's transaction: the
 * affected-row count says whether this request won the order, so races resolve in the database.
 */
@Injectable()
export class OrdersRepository {
  /** A pending order and its seats' claims, expiring together; a seat taken fails on the claims' unique key. */
  async insertHeld(tx: Transaction, fields: NewOrder): Promise<Order> {
    const inserted = tx.send(
      writeStatement(
        `INSERT INTO orders (user_id, schedule_id, status, seats, unit_price_cents, amount_cents, discount_cents,
                             voucher_id, voucher_code, expires_at, created_at)
         VALUES (:userId, :scheduleId, 'pending', :seats, :unitPriceCents, :amountCents, :discountCents,
                 :voucherId, :voucherCode, :expiresAt, :createdAt)`,
        { ...fields, seats: JSON.stringify(fields.seats) },
      ),
    );
    // Sent right after the order's INSERT, in the same round trip: it takes that INSERT's id.
    const claimed = tx.send(
      claimsInsert(
        {
          scheduleId: fields.scheduleId,
          orderId: PREVIOUS_INSERT_ID,
          userId: fields.userId,
          expiresAt: fields.expiresAt,
        },
        fields.seats,
      ),
    );
    const [{ insertId }] = await Promise.all([inserted, claimed]);
    return {
      ...fields,
      id: insertId,
      status: 'pending',
      paidAt: null,
      paymentChannel: null,
      ticketCode: null,
      checkedInAt: null,
      closedAt: null,
    };
  }

  /**
   * pending → paid, only while the hold is live at `now` and all `seatCount` of its claims are still
   * its own and unsold (a lapsed claim may have gone to another order). The caller holds the
   * showtime's row lock, so the claims it counts cannot change before its commit.
   */
  async markPaid(tx: Transaction, id: number, fields: PaidFields, now: Date, seatCount: number): Promise<boolean> {
    const sql = `UPDATE orders SET status = 'paid', paid_at = :paidAt, ticket_code = :ticketCode, payment_channel = :paymentChannel
                  WHERE id = :id AND status = 'pending' AND expires_at > :now
                    AND (SELECT COUNT(*) FROM seat_claims WHERE order_id = :id AND expires_at IS NOT NULL) = :seatCount`;
    return (await tx.send(writeStatement(sql, { ...fields, id, now, seatCount }))).affected > 0;
  }

  /**
   * A payment that came after the hold lapsed: pending or expired (swept) → paid. The caller has
   * checked, under the showtime's lock, that no other order holds or bought any of its seats.
   */
  async markPaidLate(tx: Transaction, id: number, fields: PaidFields, now: Date): Promise<boolean> {
    const sql = `UPDATE orders SET status = 'paid', paid_at = :paidAt, ticket_code = :ticketCode, payment_channel = :paymentChannel,
                        closed_at = NULL
                  WHERE id = :id AND status IN ('pending', 'expired') AND expires_at <= :now`;
    return (await tx.send(writeStatement(sql, { ...fields, id, now }))).affected > 0;
  }

  /** The order's row lock while it is pending and live (FOR UPDATE on MySQL; a SQLite transaction holds the write lock). */
  async lockLivePending(tx: Transaction, id: number, now: Date): Promise<boolean> {
    const forUpdate = tx.isMysql ? ' FOR UPDATE' : '';
    const sql = `SELECT id FROM orders WHERE id = :id AND status = 'pending' AND expires_at > :now${forUpdate}`;
    return (await tx.send(readStatement(sql, { id, now }))).length > 0;
  }

  /**
   * The live uses of these vouchers (orders carrying them that are pending before `expiresAt`, or
   * paid): in all, and by `${voucherId}:${userId}`. The caller has locked the vouchers' rows.
   */
  async voucherUses(
    tx: Transaction,
    voucherIds: number[],
    now: Date,
  ): Promise<{ uses: Map<number, number>; usesByUser: Map<string, number> }> {
    const rows = await tx.send(
      readStatement<{ voucher_id: unknown; user_id: unknown; n: unknown }>(
        `SELECT voucher_id, user_id, COUNT(*) AS n FROM orders
          WHERE voucher_id IN (:...voucherIds) AND (status = 'paid' OR (status = 'pending' AND expires_at > :now))
          GROUP BY voucher_id, user_id`,
        { voucherIds, now },
      ),
    );
    const uses = new Map<number, number>();
    const usesByUser = new Map<string, number>();
    for (const row of rows) {
      const voucherId = Number(row.voucher_id);
      uses.set(voucherId, (uses.get(voucherId) ?? 0) + Number(row.n));
      usesByUser.set(`${voucherId}:${Number(row.user_id)}`, Number(row.n));
    }
    return { uses, usesByUser };
  }

  /** pending and live → cancelled. */
  async markCancelled(tx: Transaction, id: number, now: Date): Promise<boolean> {
    const sql = `UPDATE orders SET status = 'cancelled', closed_at = :now WHERE id = :id AND status = 'pending' AND expires_at > :now`;
    return (await tx.send(writeStatement(sql, { id, now }))).affected > 0;
  }

  /** paid and not checked in → refunded; the condition makes racing refunds (or a scan) win once. */
  async markRefunded(tx: Transaction, id: number, now: Date): Promise<boolean> {
    const sql = `UPDATE orders SET status = 'refunded', closed_at = :now WHERE id = :id AND status = 'paid' AND checked_in_at IS NULL`;
    return (await tx.send(writeStatement(sql, { id, now }))).affected > 0;
  }

  async markCheckedIn(tx: Transaction, id: number, now: Date): Promise<boolean> {
    const sql = `UPDATE orders SET checked_in_at = :now WHERE id = :id AND status = 'paid' AND checked_in_at IS NULL`;
    return (await tx.send(writeStatement(sql, { id, now }))).affected > 0;
  }

  findLapsedPendingIds(tx: Transaction, now: Date, limit: number): Promise<number[]> {
    return tx.send(
      readStatement<{ id: unknown }, number[]>(
        `SELECT id FROM orders WHERE status = 'pending' AND expires_at <= :now ORDER BY id LIMIT ${Math.trunc(limit)}`,
        { now },
        (rows) => rows.map((row) => Number(row.id)),
      ),
    );
  }

  /** Re-checks the condition, so an order paid or cancelled meanwhile (or swept by another instance) stays as it is. */
  async markExpired(tx: Transaction, ids: number[], now: Date): Promise<number> {
    const sql = `UPDATE orders SET status = 'expired', closed_at = :now WHERE id IN (:...ids) AND status = 'pending' AND expires_at <= :now`;
    return (await tx.send(writeStatement(sql, { ids, now }))).affected;
  }
}
