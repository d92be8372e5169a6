import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Hall, SeatPosition } from '../halls/entities/hall.entity';
import type { OrderShowtime } from './dto/order.dto';
import { Order } from './entities/order.entity';
import type { OrderStatus } from './order-status';

/** An order read with its showtime's movie, hall and cinema (owner included, for access checks). */
export interface OrderView {
  order: Order;
  show: OrderShowtime;
  cinemaOwnerId: number | null;
}

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

@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findView(id: number, manager: EntityManager = this.dataSource.manager): Promise<OrderView | null> {
    const order = await this.viewQuery(manager).where('o.id = :id', { id }).getOne();
    return order ? toView(order) : null;
  }

  async findViewByTicketCode(ticketCode: string): Promise<OrderView | null> {
    const order = await this.viewQuery(this.dataSource.manager)
      .where('o.ticketCode = :ticketCode', { ticketCode })
      .getOne();
    return order ? toView(order) : null;
  }

  /** One page of a user's orders with their showtimes (one query), and the total (one count). */
  async listByUser(
    userId: number,
    filter: { status?: OrderStatus; now: Date },
    window: { skip: number; take: number },
  ): Promise<[OrderView[], number]> {
    const query = this.viewQuery(this.dataSource.manager).where('o.userId = :userId', { userId });
    if (filter.status) applyStatusFilter(query, filter.status, filter.now);
    const [orders, total] = await Promise.all([
      query
        .clone()
        .orderBy('o.createdAt', 'DESC')
        .addOrderBy('o.id', 'DESC')
        .offset(window.skip)
        .limit(window.take)
        .getMany(),
      query.clone().getCount(),
    ]);
    return [orders.map(toView), total];
  }

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

  private viewQuery(manager: EntityManager): SelectQueryBuilder<Order> {
    return manager
      .getRepository(Order)
      .createQueryBuilder('o')
      .innerJoin('o.schedule', 's')
      .innerJoin('s.movie', 'm')
      .innerJoin('s.hall', 'h')
      .innerJoin('s.cinema', 'c')
      .addSelect(['s.id', 's.startsAt', 'm.id', 'm.title', 'h.id', 'h.name', 'h.deletedAt', 'c.id', 'c.name', 'c.ownerId']);
  }
}

/** A lapsed pending order is listed as expired, so the filter judges by time as the reads do. */
function applyStatusFilter(query: SelectQueryBuilder<Order>, status: OrderStatus, now: Date): void {
  if (status === 'pending') {
    query.andWhere('o.status = :pending AND o.expiresAt > :now', { pending: 'pending', now });
  } else if (status === 'expired') {
    query.andWhere(
      new Brackets((q) =>
        q
          .where('o.status = :expired', { expired: 'expired' })
          .orWhere('(o.status = :pending AND o.expiresAt <= :now)', {
            pending: 'pending',
            now,
          }),
      ),
    );
  } else {
    query.andWhere('o.status = :status', { status });
  }
}

/** A deleted hall's name carries a `~<id>` suffix (freeing the name); its old orders show the name they ran under. */
function hallNameOf(hall: Pick<Hall, 'id' | 'name' | 'deletedAt'>): string {
  const suffix = `~${hall.id}`;
  return hall.deletedAt && hall.name.endsWith(suffix) ? hall.name.slice(0, -suffix.length) : hall.name;
}

function toView(order: Order): OrderView {
  const schedule = order.schedule!;
  return {
    order,
    show: {
      movieTitle: schedule.movie!.title,
      cinemaName: schedule.cinema!.name,
      hallName: hallNameOf(schedule.hall!),
      startsAt: schedule.startsAt,
    },
    cinemaOwnerId: schedule.cinema!.ownerId,
  };
}
