import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import type { EnvironmentVariables } from '../config/env.validation';
import { enabledChannels, type PaymentChannelName, type PaymentMethod } from '../config/payment-settings';
import { isDuplicateKeyError } from '../database/db-errors';
import { SaleTransactions } from '../database/sale-transactions';
import { PaymentProviderRefused } from '../payments/payment-provider.errors';
import { PaymentProvidersService, ProviderChannel } from '../payments/payment-providers.service';
import { PaymentRecord, PaymentRecordsService } from '../payments/payment-records.service';
import { PayOrderDto } from './dto/order-actions.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import type { Order } from './entities/order.entity';
import { effectiveStatus } from './order-status';
import { OrderView } from './order-views.repository';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { PaymentSettlementService } from './payment-settlement.service';

/**
 * POST /orders/:id/pay. Mock pays at once through the settlement; Alipay and WeChat Pay open a trade
 * at the provider and answer the order still pending, to be settled by the provider's notification
 * (or the sweep's query).
 */
@Injectable()
export class OrderPaymentsService {
  private readonly logger = new Logger(OrderPaymentsService.name);
  private readonly enabled: PaymentChannelName[];

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly sales: SaleTransactions,
    private readonly orders: OrdersRepository,
    private readonly ordersService: OrdersService,
    private readonly settlement: PaymentSettlementService,
    private readonly records: PaymentRecordsService,
    private readonly providers: PaymentProvidersService,
  ) {
    this.enabled = enabledChannels({
      NODE_ENV: config.get('NODE_ENV', { infer: true }),
      PAYMENT_CHANNELS: config.get('PAYMENT_CHANNELS', { infer: true }),
    });
  }

  async pay(user: AuthUser, id: number, dto: PayOrderDto): Promise<OrderDto> {
    const view = await this.ordersService.requireOwn(user, id);
    const { order } = view;
    // A retry after a lost response must not fail: a paid order answers as it is.
    if (order.status === 'paid') return this.ordersService.toDto(view, user);
    assertPayable(order, new Date());
    const channel = this.channelOf(dto);
    const method = dto.method ?? 'qr';
    if (channel === 'mock') return this.payNow(view, method);
    const open = await this.records.findOpen(order.id, channel, method);
    if (open) return toOrderDto(order, view.show, { isOwner: true, now: new Date() }, open);
    return this.open(view, channel, method);
  }

  private channelOf(dto: PayOrderDto): PaymentChannelName {
    const channel = dto.channel ?? 'mock';
    if (this.enabled.includes(channel)) return channel;
    const choices = this.enabled.length ? `; enabled: ${this.enabled.join(', ')}` : '';
    throw new AppException(ResultCode.InvalidParams, `payment channel ${channel} is not enabled${choices}`);
  }

  private async payNow(view: OrderView, method: PaymentMethod): Promise<OrderDto> {
    const settlement = await this.settlement.settle({ view, channel: 'mock', method });
    if (settlement.kind === 'sold') {
      return toOrderDto(settlement.order, view.show, { isOwner: true, now: new Date() }, settlement.payment);
    }
    // A racing payment, cancel or sweep changed the order first: answer with what it is now.
    const current = await this.ordersService.reload(view);
    if (current.order.status === 'paid') return this.ordersService.toDto(current, { id: current.order.userId });
    assertPayable(current.order, new Date());
    throw new AppException(ResultCode.OrderNotPayable, 'the order can no longer be paid');
  }

  /**
   * The trade is opened at the provider before it is recorded, so that a recorded attempt always
   * has its code; of two requests racing to open the same channel and method, the first recorded
   * wins and the other's trade, never shown to anyone, is closed.
   */
  private async open(view: OrderView, channel: ProviderChannel, method: PaymentMethod): Promise<OrderDto> {
    const { order, show } = view;
    const outTradeNo = PaymentRecordsService.newOutTradeNo(order.id);
    const subject = `${show.movieTitle} ${order.seats.length} seat(s)`.slice(0, 120);
    const trade = { outTradeNo, amountCents: order.amountCents, subject, expiresAt: order.expiresAt };
    const opened = await this.providers.open(channel, method, trade).catch((error: unknown) => {
      throw providerError(error, 'the order can not be paid this way now');
    });
    const attempt = {
      orderId: order.id,
      channel,
      method,
      status: 'pending' as const,
      amountCents: order.amountCents,
      outTradeNo,
      ...opened,
      expiresAt: order.expiresAt,
    };
    let recorded: PaymentRecord | null;
    try {
      recorded = await this.sales.run(async (tx) => {
        const now = tx.startedAt;
        // Under the order's row lock: a cancel, a sweep or a payment that commits first wins, and a
        // cancel that commits after sees this attempt and closes it.
        if (!(await this.orders.lockLivePending(tx, order.id, now))) return null;
        const paymentId = await this.records.insert(tx, { ...attempt, now });
        return {
          ...attempt,
          id: paymentId,
          createdAt: now,
          providerTradeNo: null,
          paidAt: null,
          closedAt: null,
          refundedAt: null,
        };
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      recorded = await this.records.findOpen(order.id, channel, method);
      void this.providers.close(channel, outTradeNo).catch(() => undefined);
      if (recorded) return toOrderDto(order, show, { isOwner: true, now: new Date() }, recorded);
      throw error;
    }
    if (!recorded) {
      void this.providers.close(channel, outTradeNo).catch(() => undefined);
      const current = await this.ordersService.reload(view);
      if (current.order.status === 'paid') return this.ordersService.toDto(current, { id: current.order.userId });
      assertPayable(current.order, new Date());
      throw new AppException(ResultCode.OrderNotPayable, 'the order can no longer be paid');
    }
    this.logger.log(`order ${order.id}: ${channel} ${method} payment ${recorded.id} opened`);
    return toOrderDto(order, show, { isOwner: true, now: new Date() }, recorded);
  }
}

/** A provider's signed "no" is the order's answer (2006); anything else is a 5000 that may be tried again. */
export function providerError(error: unknown, refusedAs: string): AppException {
  if (error instanceof PaymentProviderRefused) {
    return new AppException(ResultCode.OrderNotPayable, `${refusedAs}: ${error.provider} said ${error.reason}`);
  }
  return new AppException(
    ResultCode.ServerError,
    'the payment provider could not be reached; nothing was changed, try again',
  );
}

function assertPayable(order: Order, now: Date): void {
  const status = effectiveStatus(order, now);
  if (status === 'pending' || status === 'paid') return;
  const why = status === 'expired' ? 'its hold has expired' : `it is ${status}`;
  throw new AppException(ResultCode.OrderNotPayable, `the order cannot be paid: ${why}`);
}
