import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { SeatPosition } from '../halls/entities/hall.entity';
import { Order } from './entities/order.entity';
import { SqlCondition, Statement, writeStatement } from '../database/statement';

export interface NewOrder {
  userId: number;
  scheduleId: number;
  seats: SeatPosition[];
  unitPriceCents: number;
  amountCents: number;
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
  insertPending(fields: NewOrder): Statement<Order> {
    return writeStatement(
      `INSERT INTO orders (user_id, schedule_id, status, seats, unit_price_cents, amount_cents, expires_at, created_at)
       VALUES (:userId, :scheduleId, 'pending', :seats, :unitPriceCents, :amountCents, :expiresAt, :createdAt)`,
      { ...fields, seats: JSON.stringify(fields.seats) },
      ({ insertId }) => ({
        ...fields,
        id: insertId,
        status: 'pending',
        paidAt: null,
        paymentChannel: null,
        ticketCode: null,
        checkedInAt: null,
        closedAt: null,
      }),
    );
  }

  /**
   * pending → paid, only while the hold is live at `now` and all `seatCount` of its claims are still
   * its own and unsold (a lapsed claim may have gone to another order); 0 when not. The caller holds
   * the showtime's row lock, so the claims it counts cannot change before its commit.
   */
  markPaid(id: number, fields: PaidFields, now: Date, seatCount: number): Statement<number> {
    const sql = `UPDATE orders SET status = 'paid', paid_at = :paidAt, ticket_code = :ticketCode, payment_channel = :paymentChannel
                  WHERE id = :id AND status = 'pending' AND expires_at > :now
                    AND (SELECT COUNT(*) FROM seat_claims WHERE order_id = :id AND expires_at IS NOT NULL) = :seatCount`;
    return writeStatement(sql, { ...fields, id, now, seatCount }, ({ affected }) => affected);
  }

  /** True once the order carries this ticket code: what the statements after markPaid in its batch go by. */
  paidWith(id: number, ticketCode: string): SqlCondition {
    return {
      sql: 'EXISTS (SELECT 1 FROM orders WHERE id = :paidOrderId AND ticket_code = :paidTicketCode)',
      params: { paidOrderId: id, paidTicketCode: ticketCode },
    };
  }

  /**
   * The ids of those of `orderIds` that now carry one of `ticketCodes`: the orders that a batch of
   * payments paid, each under a code of its own (a payment that lost never wrote its code).
   */
  idsPaidWith(orderIds: number[], ticketCodes: string[]): SqlCondition {
    return {
      sql: 'SELECT id FROM orders WHERE id IN (:...batchOrderIds) AND ticket_code IN (:...batchTicketCodes)',
      params: { batchOrderIds: orderIds, batchTicketCodes: ticketCodes },
    };
  }

  async markCancelled(manager: EntityManager, id: number, now: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Order)
      .set({ status: 'cancelled', closedAt: now })
      .where('id = :id AND status = :pending AND expires_at > :now', { id, pending: 'pending', now })
      .execute();
    return result.affected ?? 0;
  }

  /** paid and not checked in → refunded; the condition makes racing refunds (or a scan) win once. */
  async markRefunded(manager: EntityManager, id: number, now: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Order)
      .set({ status: 'refunded', closedAt: now })
      .where('id = :id AND status = :paid AND checked_in_at IS NULL', { id, paid: 'paid' })
      .execute();
    return result.affected ?? 0;
  }

  async markCheckedIn(manager: EntityManager, id: number, now: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Order)
      .set({ checkedInAt: now })
      .where('id = :id AND status = :paid AND checked_in_at IS NULL', { id, paid: 'paid' })
      .execute();
    return result.affected ?? 0;
  }

  async findLapsedPendingIds(manager: EntityManager, now: Date, limit: number): Promise<number[]> {
    const rows = await manager
      .getRepository(Order)
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where('o.status = :pending AND o.expiresAt <= :now', { pending: 'pending', now })
      .orderBy('o.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: number | string }>();
    return rows.map((row) => Number(row.id));
  }

  /** Re-checks the condition, so an order paid or cancelled meanwhile (or swept by another instance) stays as it is. */
  async markExpired(manager: EntityManager, ids: number[], now: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Order)
      .set({ status: 'expired', closedAt: now })
      .where('id IN (:...ids) AND status = :pending AND expires_at <= :now', { ids, pending: 'pending', now })
      .execute();
    return result.affected ?? 0;
  }
}
