import { Injectable, Logger } from '@nestjs/common';
import { PaymentRecordsService } from '../payments/payment-records.service';
import { HeaderBag, PaymentProvidersService, ProviderNotice } from '../payments/payment-providers.service';
import { OrderViewsRepository } from './order-views.repository';
import { PaymentSettlementService } from './payment-settlement.service';
import { ProviderFollowUps } from './provider-follow-ups.service';

/** `accepted`: done, or nothing to do (a repeat): the provider must stop sending it. */
export type NoticeAnswer = { accepted: true } | { accepted: false; why: string };

/**
 * The providers' asynchronous notifications (CONTRACT section 12). Only a verified notice changes
 * anything, and only through the same settlement as every payment; a repeated or racing one
 * changes nothing more and is still accepted. What is refused is logged without its secret fields.
 */
@Injectable()
export class PaymentNotificationsService {
  private readonly logger = new Logger(PaymentNotificationsService.name);

  constructor(
    private readonly providers: PaymentProvidersService,
    private readonly records: PaymentRecordsService,
    private readonly views: OrderViewsRepository,
    private readonly settlement: PaymentSettlementService,
    private readonly followUps: ProviderFollowUps,
  ) {}

  alipay(form: Record<string, string>): Promise<NoticeAnswer> {
    return this.handle('alipay', this.providers.alipayNotice(form));
  }

  wechat(headers: HeaderBag, rawBody: string): Promise<NoticeAnswer> {
    return this.handle('wechat', this.providers.wechatNotice(headers, rawBody));
  }

  private async handle(channel: string, notice: ProviderNotice): Promise<NoticeAnswer> {
    switch (notice.kind) {
      case 'invalid':
        return this.refuse(channel, notice.why);
      case 'other':
        return { accepted: true };
      case 'refund': {
        const refund = await this.records.refundByNumber(notice.refundNo);
        if (!refund) return this.refuse(channel, `unknown refund ${notice.refundNo}`);
        await this.followUps.recordOutcome(refund, notice.outcome);
        return { accepted: true };
      }
      case 'paid': {
        const payment = await this.records.findByOutTradeNo(notice.outTradeNo);
        if (!payment || payment.channel !== channel) {
          return this.refuse(channel, `unknown out_trade_no ${notice.outTradeNo}`);
        }
        if (notice.amountCents !== payment.amountCents) {
          return this.refuse(
            channel,
            `amount ${notice.amountCents} cents is not payment ${payment.id}'s ${payment.amountCents}`,
          );
        }
        // Read before the settlement's batch: an order once created never loses its seats' list or showtime.
        const view = await this.views.findView(payment.orderId);
        if (!view) return this.refuse(channel, `payment ${payment.id}'s order is gone`);
        await this.settlement.settle({ view, channel, payment, providerTradeNo: notice.providerTradeNo });
        return { accepted: true };
      }
    }
  }

  private refuse(channel: string, why: string): NoticeAnswer {
    this.logger.warn(`${channel} notification refused: ${why}`);
    return { accepted: false, why };
  }
}
