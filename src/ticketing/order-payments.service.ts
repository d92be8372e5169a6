import { Inject, Injectable } from '@nestjs/common';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { isDuplicateKeyError } from '../database/db-errors';
import { Outcome, SaleTransactions, ShowtimeBatches } from '../database/sale-transactions';
import type { Transaction } from '../database/transaction';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import { PayOrderDto } from './dto/order-actions.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import type { Order } from './entities/order.entity';
import { effectiveStatus } from './order-status';
import { OrderViewsRepository, OrderView } from './order-views.repository';
import { OrdersRepository, PaidFields } from './orders.repository';
import { OrdersService } from './orders.service';
import { PAYMENT_CHANNELS, PaymentChannel, OfferedChannel } from './payment/payment-channel';
import { SeatClaimsRepository } from './seat-claims.repository';
import { newTicketCode } from './ticket-code';
import { SeatEventsService } from '../live-seats/seat-events.service';

/** POST /orders/:id/pay: the channel collects the money, then `settle` turns the hold into a sale. */
@Injectable()
export class OrderPaymentsService {
  private readonly channels: Map<OfferedChannel, PaymentChannel>;
  /** null: the order was no longer pending and live when its payment got to it. */
  private readonly payments: ShowtimeBatches<PayJob, OrderDto | null>;

  constructor(
    sales: SaleTransactions,
    private readonly schedules: ScheduleSalesService,
    private readonly views: OrderViewsRepository,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly ordersService: OrdersService,
    private readonly seatEvents: SeatEventsService,
    @Inject(PAYMENT_CHANNELS) channels: PaymentChannel[],
  ) {
    this.channels = new Map(channels.map((channel) => [channel.name, channel]));
    // Ticket codes are random: on the rare collision with uq_orders_ticket_code (the only unique key
    // a payment can hit) the batch is decided again, with new codes.
    this.payments = sales.perShowtime((tx, jobs) => this.settleTogether(tx, jobs), { retryAlso: isDuplicateKeyError });
  }

  async pay(user: AuthUser, id: number, dto: PayOrderDto): Promise<OrderDto> {
    const view = await this.ordersService.requireOwn(user, id);
    const { order } = view;
    // A retry after a lost response must not fail: a paid order answers as it is.
    if (order.status === 'paid') return toOrderDto(order, view.show, { isOwner: true, now: new Date() });
    assertPayable(order, new Date());
    const channel = this.channels.get(dto.channel ?? 'mock');
    if (!channel) {
      throw new AppException(ResultCode.InvalidParams, `payment channel ${dto.channel ?? 'mock'} is not enabled`);
    }
    const outcome = await channel.collect({ orderId: order.id, userId: order.userId, amountCents: order.amountCents });
    if (outcome.status === 'declined') {
      throw new AppException(ResultCode.OrderNotPayable, `payment declined: ${outcome.reason}`);
    }
    return this.settle(view, channel.name);
  }

  /** Turns the hold into a sale; the entry point for provider callbacks too. */
  async settle(view: OrderView, channel: OfferedChannel): Promise<OrderDto> {
    const settled = await this.payments.run(view.order.scheduleId, { view, channel });
    if (settled) return settled;
    // A racing payment, cancel or sweep changed the order first: answer with what it is now.
    const now = new Date();
    const current = await this.views.findView(view.order.id);
    if (current?.order.status === 'paid') return toOrderDto(current.order, view.show, { isOwner: true, now });
    assertPayable(current?.order ?? view.order, now);
    throw new AppException(ResultCode.OrderNotPayable, 'the order can no longer be paid');
  }

  /**
   * Under the showtime's lock, an order turns paid only while its hold is live and all its claims
   * are still its own (a racing cancel, sweep or second payment may have got there first); then its
   * claims turn permanent, the showtime counts the seats sold, and the seat map learns of them.
   */
  private async settleTogether(tx: Transaction, jobs: PayJob[]): Promise<Outcome<OrderDto | null>[]> {
    const { scheduleId } = jobs[0].view.order;
    const now = tx.startedAt;
    const sales = jobs.map(({ view, channel }) => ({
      view,
      fields: { paidAt: now, ticketCode: newTicketCode(), paymentChannel: channel } satisfies PaidFields,
    }));
    const [, paid] = await Promise.all([
      this.schedules.lockSeats(tx, [scheduleId]),
      Promise.all(
        sales.map(({ view: { order }, fields }) => this.orders.markPaid(tx, order.id, fields, now, order.seats.length)),
      ),
    ]);
    const sold = sales.filter((_, i) => paid[i]).map(({ view }) => view.order);
    if (sold.length) {
      const seats = sold.flatMap((order) => order.seats.map(({ row, col }) => ({ row, col, status: 'sold' as const })));
      const [, version] = await Promise.all([
        Promise.all(sold.map((order) => this.claims.makePermanent(tx, order.id))),
        this.schedules.recordSeatChange(tx, scheduleId, seats.length),
      ]);
      this.seatEvents.publishAfterCommit(tx, scheduleId, version, seats);
    }
    return sales.map(({ view: { order, show }, fields }, i) => ({
      value: paid[i] ? toOrderDto({ ...order, status: 'paid', ...fields }, show, { isOwner: true, now }) : null,
    }));
  }
}

interface PayJob {
  view: OrderView;
  channel: OfferedChannel;
}

function assertPayable(order: Order, now: Date): void {
  const status = effectiveStatus(order, now);
  if (status === 'pending' || status === 'paid') return;
  const why = status === 'expired' ? 'its hold has expired' : `it is ${status}`;
  throw new AppException(ResultCode.OrderNotPayable, `the order cannot be paid: ${why}`);
}
