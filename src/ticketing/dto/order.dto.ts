import { ApiProperty } from '@nestjs/swagger';
import { centsToYuan } from '../../common/time';
import { STANDARD_ZONE } from '../../halls/hall-layout';
import type { Order } from '../entities/order.entity';
import { effectiveStatus, ORDER_STATUSES, type OrderStatus } from '../order-status';
import { PaymentDto, toPaymentDto } from '../../payments/dto/payment.dto';
import type { PaymentRecord } from '../../payments/payment-records.service';

export class OrderSeatDto {
  row!: number;
  col!: number;
  /** the seat's zone when held (`standard` for seats in no named zone) */
  zone!: string;
  /** the ticket type it was sold as, or null (full price) */
  @ApiProperty({ type: String, nullable: true })
  ticketType!: string | null;
  /** the seat's price in yuan: its zone's price less its ticket type's discount */
  @ApiProperty({ example: 45.5 })
  price!: number;
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
  /** the seats' prices at hold time less the voucher's discount, in yuan (at least 0.01) */
  @ApiProperty({ example: 91 })
  amount!: number;
  /** what the voucher took off, in yuan; 0 without one */
  @ApiProperty({ example: 0 })
  discount!: number;
  /** the voucher the order carries, or null */
  @ApiProperty({ type: String, nullable: true })
  voucherCode!: string | null;
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
    seats: order.seats.map((seat) => ({
      row: seat.row,
      col: seat.col,
      zone: seat.zone ?? STANDARD_ZONE,
      ticketType: seat.ticketType ?? null,
      price: centsToYuan(seat.priceCents ?? order.unitPriceCents),
    })),
    amount: centsToYuan(order.amountCents),
    discount: centsToYuan(order.discountCents),
    voucherCode: order.voucherCode,
    status,
    expiresAt: order.expiresAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    ticketCode: viewer.isOwner && status === 'paid' ? order.ticketCode : null,
    checkedInAt: order.checkedInAt?.toISOString() ?? null,
    createdAt: order.createdAt.toISOString(),
    payment: payment && toPaymentDto(payment),
  };
}
