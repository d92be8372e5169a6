import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { isDuplicateKeyError } from '../database/db-errors';
import { runStatements } from '../database/raw-sql';
import { TransactionRunner } from '../database/transaction-runner';
import { PayOrderDto } from './dto/order-actions.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import type { Order } from './entities/order.entity';
import { effectiveStatus } from './order-status';
import { OrderViewsRepository, OrderView } from './order-views.repository';
import { OrdersRepository, PaidFields } from './orders.repository';
import { OrdersService } from './orders.service';
import { PAYMENT_CHANNELS, PaymentChannel, PaymentChannelName } from './payment/payment-channel';
import { SeatClaimsRepository } from './seat-claims.repository';
import { newTicketCode } from './ticket-code';
import { SeatEventsService, showtimeLock } from '../live-seats/seat-events.service';

const TICKET_CODE_ATTEMPTS = 5;

/** POST /orders/:id/pay: the channel collects the money, then `settle` turns the hold into a sale. */
@Injectable()
export class OrderPaymentsService {
  private readonly channels: Map<PaymentChannelName, PaymentChannel>;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly views: OrderViewsRepository,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly ordersService: OrdersService,
    private readonly seatEvents: SeatEventsService,
    @Inject(PAYMENT_CHANNELS) channels: PaymentChannel[],
  ) {
    this.channels = new Map(channels.map((channel) => [channel.name, channel]));
  }

  async pay(user: AuthUser, id: number, dto: PayOrderDto): Promise<OrderDto> {
    const view = await this.ordersService.requireOwn(user, id);
    const { order } = view;
    // A retry after a lost response must not fail: a paid order answers as it is.
    if (order.status === 'paid') return toOrderDto(order, view.show, { isOwner: true, now: new Date() });
    assertPayable(order, new Date());
    const channel = this.channels.get(dto.channel ?? 'mock');
    if (!channel) throw new AppException(ResultCode.InvalidParams, 'unknown payment channel');
    const outcome = await channel.collect({ orderId: order.id, userId: order.userId, amountCents: order.amountCents });
    if (outcome.status === 'declined') {
      throw new AppException(ResultCode.OrderNotPayable, `payment declined: ${outcome.reason}`);
    }
    return this.settle(view, channel.name);
  }

  /**
   * Marks the order paid and its claims permanent, in one transaction, only while the hold is live:
   * the conditional update decides against a racing cancel, sweep or second payment, and the claim
   * count proves that no seat was taken over after a lapse. The entry point for provider callbacks.
   */
  async settle(view: OrderView, channel: PaymentChannelName): Promise<OrderDto> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { order, publish } = await this.runner.run((manager) => this.markSold(manager, view, channel), {
          queueOn: showtimeLock(view.order.scheduleId),
        });
        publish();
        return order;
      } catch (error) {
        if (error instanceof OrderLost) break;
        // Ticket codes are random; on the rare collision with uq_orders_ticket_code (the only unique
        // key these statements can hit) the payment runs again with another code.
        if (!isDuplicateKeyError(error) || attempt >= TICKET_CODE_ATTEMPTS) throw error;
      }
    }
    // A racing payment, cancel or sweep changed the order first: answer with what it is now.
    const now = new Date();
    const current = await this.views.findView(view.order.id);
    if (current?.order.status === 'paid') return toOrderDto(current.order, view.show, { isOwner: true, now });
    assertPayable(current?.order ?? view.order, now);
    throw new AppException(ResultCode.OrderNotPayable, 'the order can no longer be paid');
  }

  /**
   * One round trip, the commit included: first the showtime's row lock, which every seat change
   * takes first; under it the order turns paid only if its hold is live and all its claims are still
   * its own, and only then do the claims turn permanent and the showtime count the seats sold and
   * version the change. So a payment that loses changes nothing, and nothing is left to decide
   * between the statements.
   */
  private async markSold(
    manager: EntityManager,
    { order, show }: OrderView,
    channel: PaymentChannelName,
  ): Promise<{ order: OrderDto; publish: () => void }> {
    const now = new Date();
    const paidFields: PaidFields = { paidAt: now, ticketCode: newTicketCode(), paymentChannel: channel };
    const paid = this.orders.paidWith(order.id, paidFields.ticketCode);
    const [, won, , version] = await runStatements(
      manager,
      [
        this.seatEvents.lockStatement(manager, [order.scheduleId]),
        this.orders.markPaid(order.id, paidFields, now, order.seats.length),
        this.claims.makePermanent(order.id, paid),
        this.seatEvents.versionBump(manager, order.scheduleId, order.seats.length, paid),
      ],
      { thenCommit: true },
    );
    if (!won) throw new OrderLost();
    const soldSeats = order.seats.map((seat) => ({ row: seat.row, col: seat.col, status: 'sold' as const }));
    return {
      order: toOrderDto({ ...order, status: 'paid', ...paidFields }, show, { isOwner: true, now }),
      publish: this.seatEvents.announcement(order.scheduleId, version, soldSeats),
    };
  }
}

/** The order was no longer pending and live when this payment got to it: roll back, then look. */
class OrderLost extends Error {}

function assertPayable(order: Order, now: Date): void {
  const status = effectiveStatus(order, now);
  if (status === 'pending' || status === 'paid') return;
  const why = status === 'expired' ? 'its hold has expired' : `it is ${status}`;
  throw new AppException(ResultCode.OrderNotPayable, `the order cannot be paid: ${why}`);
}
