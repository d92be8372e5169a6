import { ApiProperty } from '@nestjs/swagger';
import { centsToYuan } from '../../common/time';
import type { Order } from '../entities/order.entity';
import { effectiveStatus, ORDER_STATUSES, type OrderStatus } from '../order-status';
import { PaymentDto, toPaymentDto } from '../../payments/dto/payment.dto';
import type { PaymentRecord } from '../../payments/payment-records.service';

export class OrderSeatDto {
  row!: number;
  col!: number;
}

export class OrderDto {
  id!: number;
  userId!: number;
  scheduleId!: number;
  movieTitle!: string;
  cinemaName!: string;
  hallName!: string;
  /** the showtime's start (UTC) */
  startsAt!: string;
  @ApiProperty({ type: [OrderSeatDto] })
  seats!: OrderSeatDto[];
  /** seats × the price at hold time, in yuan */
  @ApiProperty({ example: 91 })
  amount!: number;
  /** a pending order past `expiresAt` reads as `expired` */
  @ApiProperty({ enum: ORDER_STATUSES })
  status!: OrderStatus;
  /** when the hold lapses unless paid */
  expiresAt!: string;
  paidAt!: string | null;
  /** 16 digits; only to the owner, and only while paid */
  @ApiProperty({ type: String, nullable: true, example: '4821907736150294' })
  ticketCode!: string | null;
  checkedInAt!: string | null;
  createdAt!: string;
  /** the latest payment attempt (the one opened last), or null before any */
  @ApiProperty({ type: PaymentDto, nullable: true })
  payment!: PaymentDto | null;
}

/** The showtime facts an order shows, read with it in one query. */
export interface OrderShowtime {
  movieTitle: string;
  cinemaName: string;
  hallName: string;
  startsAt: Date;
}

export function toOrderDto(
  order: Order,
  show: OrderShowtime,
  viewer: { isOwner: boolean; now: Date },
  payment: PaymentRecord | null = null,
): OrderDto {
  const status = effectiveStatus(order, viewer.now);
  return {
    id: order.id,
    userId: order.userId,
    scheduleId: order.scheduleId,
    movieTitle: show.movieTitle,
    cinemaName: show.cinemaName,
    hallName: show.hallName,
    startsAt: show.startsAt.toISOString(),
    seats: order.seats.map(({ row, col }) => ({ row, col })),
    amount: centsToYuan(order.amountCents),
    status,
    expiresAt: order.expiresAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    ticketCode: viewer.isOwner && status === 'paid' ? order.ticketCode : null,
    checkedInAt: order.checkedInAt?.toISOString() ?? null,
    createdAt: order.createdAt.toISOString(),
    payment: payment && toPaymentDto(payment),
  };
}
