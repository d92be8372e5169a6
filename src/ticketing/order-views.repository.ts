import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { OrderShowtime } from './dto/order.dto';
import { Order, OrderSeat } from './entities/order.entity';
import type { OrderStatus } from './order-status';
import { instantOf, runStatement, selectRows } from '../database/raw-sql';
import { readStatement } from '../database/statement';
import { TickBatcher } from '../common/tick-batcher';
import type { Transaction } from '../database/transaction';

/** An order read with its showtime's movie, hall and cinema (owner included, for access checks). */
export interface OrderView {
  order: Order;
  show: OrderShowtime;
  cinemaId: number;
  cinemaOwnerId: number | null;
}

const VIEW_SELECT = `SELECT o.id, o.user_id, o.schedule_id, o.status, o.seats, o.unit_price_cents, o.amount_cents,
       o.discount_cents, o.voucher_id, o.voucher_code,
       o.expires_at, o.paid_at, o.payment_channel, o.ticket_code, o.checked_in_at, o.closed_at, o.created_at,
       s.starts_at, m.title AS movie_title, h.id AS hall_id, h.name AS hall_name, h.deleted_at AS hall_deleted_at,
       c.id AS cinema_id, c.name AS cinema_name, c.owner_id AS cinema_owner_id
  FROM orders o
  INNER JOIN schedules s ON s.id = o.schedule_id
  INNER JOIN movies m ON m.id = s.movie_id
  INNER JOIN halls h ON h.id = s.hall_id
  INNER JOIN cinemas c ON c.id = s.cinema_id`;

/** Reads of orders with their showtimes: one query per order or per page, never one per row. */
@Injectable()
export class OrderViewsRepository {
  /** Orders read by id outside a transaction in one tick of the event loop: one statement. */
  private readonly byId = new TickBatcher<number, OrderView>((ids) =>
    runStatement(
      this.dataSource.manager,
      readStatement<ViewRow, Map<number, OrderView>>(`${VIEW_SELECT} WHERE o.id IN (:...ids)`, { ids }, viewsById),
    ),
  );

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every pay, cancel and refund starts here. Inside a transaction (`manager`), it reads on that transaction. */
  async findView(id: number, manager?: EntityManager): Promise<OrderView | null> {
    if (!manager || manager === this.dataSource.manager) return (await this.byId.load(id)) ?? null;
    return this.findOneView(manager, 'o.id = :id', { id });
  }

  /** The orders as they stand in `tx` (read after the caller's locks), by id. */
  viewsIn(tx: Transaction, ids: number[]): Promise<Map<number, OrderView>> {
    if (!ids.length) return Promise.resolve(new Map());
    return tx.send(
      readStatement<ViewRow, Map<number, OrderView>>(`${VIEW_SELECT} WHERE o.id IN (:...ids)`, { ids }, viewsById),
    );
  }

  async findViewByTicketCode(ticketCode: string): Promise<OrderView | null> {
    return this.findOneView(this.dataSource.manager, 'o.ticket_code = :ticketCode', { ticketCode });
  }

  /** One order with its showtime as fixed SQL, no entity hydration. */
  private async findOneView(
    manager: EntityManager,
    where: string,
    params: Record<string, unknown>,
  ): Promise<OrderView | null> {
    const [row] = await selectRows<ViewRow>(manager, `${VIEW_SELECT} WHERE ${where}`, params);
    return row ? rowToView(row) : null;
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
function hallNameOf(hall: { id: number; name: string; deletedAt: Date | null }): string {
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
    cinemaId: schedule.cinema!.id,
    cinemaOwnerId: schedule.cinema!.ownerId,
  };
}

interface ViewRow {
  id: number | string;
  user_id: number | string;
  schedule_id: number | string;
  status: Order['status'];
  seats: string;
  unit_price_cents: number | string;
  amount_cents: number | string;
  discount_cents: number | string;
  voucher_id: number | string | null;
  voucher_code: string | null;
  expires_at: unknown;
  paid_at: unknown;
  payment_channel: string | null;
  ticket_code: string | null;
  checked_in_at: unknown;
  closed_at: unknown;
  created_at: unknown;
  starts_at: unknown;
  movie_title: string;
  hall_id: number | string;
  hall_name: string;
  hall_deleted_at: unknown;
  cinema_id: number | string;
  cinema_name: string;
  cinema_owner_id: number | string | null;
}

function viewsById(rows: ViewRow[]): Map<number, OrderView> {
  return new Map(rows.map((row) => [Number(row.id), rowToView(row)]));
}

function rowToView(row: ViewRow): OrderView {
  const order: Order = {
    id: Number(row.id),
    userId: Number(row.user_id),
    scheduleId: Number(row.schedule_id),
    status: row.status,
    seats: JSON.parse(row.seats) as OrderSeat[],
    unitPriceCents: Number(row.unit_price_cents),
    amountCents: Number(row.amount_cents),
    discountCents: Number(row.discount_cents),
    voucherId: row.voucher_id === null ? null : Number(row.voucher_id),
    voucherCode: row.voucher_code,
    expiresAt: instantOf(row.expires_at)!,
    paidAt: instantOf(row.paid_at),
    paymentChannel: row.payment_channel,
    ticketCode: row.ticket_code,
    checkedInAt: instantOf(row.checked_in_at),
    closedAt: instantOf(row.closed_at),
    createdAt: instantOf(row.created_at)!,
  };
  const hall = { id: Number(row.hall_id), name: row.hall_name, deletedAt: instantOf(row.hall_deleted_at) };
  return {
    order,
    show: {
      movieTitle: row.movie_title,
      cinemaName: row.cinema_name,
      hallName: hallNameOf(hall),
      startsAt: instantOf(row.starts_at)!,
    },
    cinemaId: Number(row.cinema_id),
    cinemaOwnerId: row.cinema_owner_id === null ? null : Number(row.cinema_owner_id),
  };
}
