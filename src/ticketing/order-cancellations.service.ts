import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { EnvironmentVariables } from '../config/env.validation';
import { SaleTransactions } from '../database/sale-transactions';
import type { Transaction } from '../database/transaction';
import { SeatEventsService } from '../live-seats/seat-events.service';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import { PaymentProvidersService, ProviderChannel, RefundOutcome } from '../payments/payment-providers.service';
import { PaymentRecord, PaymentRecordsService, refundNumber } from '../payments/payment-records.service';
import { OrderDto } from './dto/order.dto';
import { OutboxService } from '../outbox/outbox.service';
import { orderEvent } from './order-events';
import { ProviderFollowUps } from './provider-follow-ups.service';
import type { Order } from './entities/order.entity';
import { effectiveStatus, refundRefusal } from './order-status';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { SeatClaimsRepository } from './seat-claims.repository';

/** Cancel (a pending hold) and refund (a paid ticket): both free the seats at once. */
@Injectable()
export class OrderCancellationsService {
  constructor(
    private readonly sales: SaleTransactions,
    private readonly schedules: ScheduleSalesService,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly ordersService: OrdersService,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly seatEvents: SeatEventsService,
    private readonly payments: PaymentRecordsService,
    private readonly providers: PaymentProvidersService,
    private readonly followUps: ProviderFollowUps,
    private readonly outbox: OutboxService,
  ) {}

  async cancel(user: AuthUser, id: number): Promise<OrderDto> {
    const view = await this.ordersService.requireOwn(user, id);
    const { order } = view;
    const now = await this.sales.runForShowtime(order.scheduleId, async (tx) => {
      const now = tx.startedAt;
      await this.schedules.lockSeats(tx, [order.scheduleId]);
      // Only a live pending order: of a cancel racing a payment or the sweep, one wins.
      if (!(await this.orders.markCancelled(tx, order.id, now))) {
        const status = effectiveStatus(order, now);
        throw new AppException(
          ResultCode.OrderNotPayable,
          `only a pending order can be cancelled; this one is ${status}`,
        );
      }
      const cancelled = { ...order, status: 'cancelled' as const, closedAt: now };
      const [, latest] = await Promise.all([this.freeSeats(tx, order, 0), this.payments.latestOf([order.id], tx)]);
      await this.outbox.record(tx, [orderEvent('order.cancelled', view, cancelled, latest.get(order.id), now)]);
      return now;
    });
    // Its open payment attempts can no longer buy anything: closed at the provider now (or by the sweep).
    await this.followUps.closeOpen(order.id);
    return this.ordersService.toDto({ ...view, order: { ...order, status: 'cancelled', closedAt: now } }, user);
  }

  /**
   * A provider-paid order is refunded at the provider first, under the payment's fixed refund number
   * (asking again never refunds twice): refused there (2007) or unreachable (5000), nothing changes.
   */
  async refund(user: AuthUser, id: number): Promise<OrderDto> {
    const view = await this.ordersService.requireOwn(user, id);
    const { order, show } = view;
    const cutoffMinutes = this.config.get('REFUND_CUTOFF_MINUTES', { infer: true });
    const refusal = refundRefusal(order, show.startsAt, new Date(), cutoffMinutes);
    if (refusal) throw new AppException(ResultCode.OrderNotRefundable, refusal);
    const payment = (await this.payments.ofOrder(order.id)).find((attempt) => attempt.status === 'paid');
    const refunded = payment ? await this.refundAtProvider(payment) : 'succeeded';
    const now = await this.sales.runForShowtime(order.scheduleId, async (tx) => {
      const now = tx.startedAt;
      await this.schedules.lockSeats(tx, [order.scheduleId]);
      // Only paid and not checked in: of two racing refunds (or a refund and a scan) one wins.
      if (!(await this.orders.markRefunded(tx, order.id, now))) {
        throw new AppException(ResultCode.OrderNotRefundable, 'the ticket was refunded or checked in meanwhile');
      }
      await this.freeSeats(tx, order, -order.seats.length);
      if (payment) await this.payments.recordRefund(tx, payment, { status: refunded, reason: 'customer refund' }, now);
      const refundedOrder = { ...order, status: 'refunded' as const, closedAt: now };
      const latest = await this.payments.latestOf([order.id], tx);
      await this.outbox.record(tx, [orderEvent('order.refunded', view, refundedOrder, latest.get(order.id), now)]);
      return now;
    });
    return this.ordersService.toDto({ ...view, order: { ...order, status: 'refunded', closedAt: now } }, user);
  }

  /** `succeeded`: the money moved (mock, Alipay, WeChat Pay SUCCESS); `processing`: WeChat Pay confirms later. */
  private async refundAtProvider(payment: PaymentRecord): Promise<'succeeded' | 'processing'> {
    if (payment.channel === 'mock') return 'succeeded';
    let outcome: RefundOutcome;
    try {
      outcome = await this.providers.refund(payment.channel as ProviderChannel, {
        outTradeNo: payment.outTradeNo,
        refundNo: refundNumber(payment.outTradeNo),
        amountCents: payment.amountCents,
        reason: 'customer refund',
      });
    } catch {
      throw new AppException(
        ResultCode.ServerError,
        'the payment provider could not be reached; nothing was refunded, try again',
      );
    }
    if (outcome.outcome === 'refused') {
      throw new AppException(
        ResultCode.OrderNotRefundable,
        `the payment provider refused the refund: ${outcome.reason}`,
      );
    }
    return outcome.outcome === 'refunded' ? 'succeeded' : 'processing';
  }

  private async freeSeats(tx: Transaction, order: Order, soldDelta: number): Promise<void> {
    const [version] = await Promise.all([
      this.schedules.recordSeatChange(tx, order.scheduleId, soldDelta),
      this.claims.deleteOfOrder(tx, order.id),
    ]);
    const seats = order.seats.map(({ row, col }) => ({ row, col, status: 'available' as const }));
    this.seatEvents.publishAfterCommit(tx, order.scheduleId, version, seats);
  }
}
