import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { SeatPosition } from '../halls/entities/hall.entity';
import { Order } from './entities/order.entity';

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
  async insertPending(manager: EntityManager, fields: NewOrder): Promise<Order> {
    const order = manager.create(Order, {
      ...fields,
      status: 'pending',
      paidAt: null,
      paymentChannel: null,
      ticketCode: null,
      checkedInAt: null,
      closedAt: null,
    });
    const result = await manager.createQueryBuilder().insert().into(Order).values(order).execute();
    order.id = Number(result.identifiers[0]?.id ?? result.raw?.insertId);
    return order;
  }

  /** pending → paid, only while the hold is live at `now`; 0 when it is not (any more). */
  async markPaid(manager: EntityManager, id: number, fields: PaidFields, now: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Order)
      .set({ ...fields, status: 'paid' })
      .where('id = :id AND status = :pending AND expires_at > :now', { id, pending: 'pending', now })
      .execute();
    return result.affected ?? 0;
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
