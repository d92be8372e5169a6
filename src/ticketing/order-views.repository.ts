import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Hall } from '../halls/entities/hall.entity';
import type { OrderShowtime } from './dto/order.dto';
import { Order } from './entities/order.entity';
import type { OrderStatus } from './order-status';

/** An order read with its showtime's movie, hall and cinema (owner included, for access checks). */
export interface OrderView {
  order: Order;
  show: OrderShowtime;
  cinemaOwnerId: number | null;
}

/** Reads of orders with their showtimes: one query per order or per page, never one per row. */
@Injectable()
export class OrderViewsRepository {
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

  private viewQuery(manager: EntityManager): SelectQueryBuilder<Order> {
    return manager
      .getRepository(Order)
      .createQueryBuilder('o')
      .innerJoin('o.schedule', 's')
      .innerJoin('s.movie', 'm')
      .innerJoin('s.hall', 'h')
      .innerJoin('s.cinema', 'c')
      .addSelect([
        's.id',
        's.startsAt',
        'm.id',
        'm.title',
        'h.id',
        'h.name',
        'h.deletedAt',
        'c.id',
        'c.name',
        'c.ownerId',
      ]);
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
