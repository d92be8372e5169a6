import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { isDuplicateKeyError } from '../database/db-errors';
import { eachAlone, KeyedBatches, Settled } from '../database/keyed-batches';
import { runStatements } from '../database/raw-sql';
import { Statement } from '../database/statement';
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
  private readonly batches = new KeyedBatches<PayJob, OrderDto | typeof LOST>((jobs) => this.settleTogether(jobs));

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
   * Payments of one showtime that queue behind its transaction settle together in the next one.
   */
  async settle(view: OrderView, channel: PaymentChannelName): Promise<OrderDto> {
    const settled = await this.batches.run(showtimeLock(view.order.scheduleId), { view, channel });
    if (settled !== LOST) return settled;
    // A racing payment, cancel or sweep changed the order first: answer with what it is now.
    const now = new Date();
    const current = await this.views.findView(view.order.id);
    if (current?.order.status === 'paid') return toOrderDto(current.order, view.show, { isOwner: true, now });
    assertPayable(current?.order ?? view.order, now);
    throw new AppException(ResultCode.OrderNotPayable, 'the order can no longer be paid');
  }

  private async settleTogether(jobs: PayJob[]): Promise<Settled<OrderDto | typeof LOST>[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { outcomes, publish } = await this.runner.run((manager) => this.markSold(manager, jobs), {
          queueOn: showtimeLock(jobs[0].view.order.scheduleId),
        });
        publish();
        return outcomes.map((value) => ({ value }));
      } catch (error) {
        // Ticket codes are random; on the rare collision with uq_orders_ticket_code (the only unique
        // key these statements can hit) the payments run again with other codes.
        if (isDuplicateKeyError(error) && attempt < TICKET_CODE_ATTEMPTS) continue;
        if (jobs.length === 1) return [{ error }];
        return eachAlone(jobs, (one) => this.settleTogether(one));
      }
    }
  }

  /**
   * One round trip, the commit included: first the showtime's row lock, which every seat change
   * takes first; under it each order turns paid only if its hold is live and all its claims are
   * still its own, and only then do its claims turn permanent. The showtime then counts the seats
   * of the orders that carry this batch's ticket codes and versions the change, if there are any.
   * So a payment that loses changes nothing, and nothing is left to decide between the statements.
   */
  private async markSold(
    manager: EntityManager,
    jobs: PayJob[],
  ): Promise<{ outcomes: (OrderDto | typeof LOST)[]; publish: () => void }> {
    const now = new Date();
    const { scheduleId } = jobs[0].view.order;
    const paying = jobs.map(({ view, channel }) => ({
      view,
      fields: { paidAt: now, ticketCode: newTicketCode(), paymentChannel: channel } satisfies PaidFields,
    }));
    const codes = paying.map(({ fields }) => fields.ticketCode);
    const statements: Statement<unknown>[] = [this.seatEvents.lockStatement(manager, [scheduleId])];
    const markedAt = paying.map(({ view: { order }, fields }) => {
      statements.push(
        this.orders.markPaid(order.id, fields, now, order.seats.length),
        this.claims.makePermanent(order.id, this.orders.paidWith(order.id, fields.ticketCode)),
      );
      return statements.length - 2;
    });
    const paidHere = this.orders.idsPaidWith(
      paying.map(({ view }) => view.order.id),
      codes,
    );
    const anyPaid = { sql: `EXISTS (${paidHere.sql})`, params: paidHere.params };
    statements.push(this.seatEvents.versionBump(manager, scheduleId, this.claims.countOfOrders(paidHere), anyPaid));
    const answers = await runStatements(manager, statements, { thenCommit: true });
    const version = answers[answers.length - 1] as number | null;
    const sold: { row: number; col: number; status: 'sold' }[] = [];
    const outcomes = paying.map(({ view: { order, show }, fields }, i) => {
      if (!(answers[markedAt[i]] as number)) return LOST;
      sold.push(...order.seats.map((seat) => ({ row: seat.row, col: seat.col, status: 'sold' as const })));
      return toOrderDto({ ...order, status: 'paid', ...fields }, show, { isOwner: true, now });
    });
    return { outcomes, publish: this.seatEvents.announcement(scheduleId, version, sold) };
  }
}

interface PayJob {
  view: OrderView;
  channel: PaymentChannelName;
}

/** The order was no longer pending and live when this payment got to it: look again, then answer. */
const LOST = Symbol('lost');

function assertPayable(order: Order, now: Date): void {
  const status = effectiveStatus(order, now);
  if (status === 'pending' || status === 'paid') return;
  const why = status === 'expired' ? 'its hold has expired' : `it is ${status}`;
  throw new AppException(ResultCode.OrderNotPayable, `the order cannot be paid: ${why}`);
}
