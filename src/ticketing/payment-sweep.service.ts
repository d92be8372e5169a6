import { Injectable, Logger } from '@nestjs/common';
import { PaymentRecord, PaymentRecordsService, RefundRecord } from '../payments/payment-records.service';
import { PaymentProvidersService, ProviderChannel } from '../payments/payment-providers.service';
import { OrderViewsRepository } from './order-views.repository';
import { PaymentSettlementService } from './payment-settlement.service';
import { ProviderFollowUps } from './provider-follow-ups.service';

const BATCH = 100;

/**
 * For the notifications that never come (CONTRACT section 12, "Lost notifications"): attempts still
 * pending past their hold are asked about (paid is settled like a notification, unpaid is closed
 * at the provider), and refunds not yet confirmed are asked again. A provider that cannot be
 * reached is asked at the next sweep. Instances may sweep at once: every step re-checks in the
 * database and every request to a provider may be repeated.
 */
@Injectable()
export class PaymentSweepService {
  private readonly logger = new Logger(PaymentSweepService.name);

  constructor(
    private readonly records: PaymentRecordsService,
    private readonly providers: PaymentProvidersService,
    private readonly views: OrderViewsRepository,
    private readonly settlement: PaymentSettlementService,
    private readonly followUps: ProviderFollowUps,
  ) {}

  async sweep(): Promise<void> {
    for (const payment of await this.records.findLapsedPending(new Date(), BATCH)) await this.resolve(payment);
    for (const { refund, payment } of await this.records.findUnconfirmedRefunds(BATCH)) {
      await this.askAgain(refund, payment);
    }
  }

  /** A pending attempt whose hold lapsed, or whose order was cancelled or paid otherwise. */
  private async resolve(payment: PaymentRecord): Promise<void> {
    const channel = payment.channel as ProviderChannel;
    let trade;
    try {
      trade = await this.providers.query(channel, payment.outTradeNo);
    } catch (error) {
      this.logger.warn(`payment ${payment.id}: ${channel} not asked (${(error as Error).message})`);
      return;
    }
    if (trade.state !== 'paid') {
      await this.followUps.close(payment);
      return;
    }
    if (trade.amountCents !== payment.amountCents) {
      this.logger.error(
        `payment ${payment.id}: ${channel} reports ${trade.amountCents} cents paid, not ${payment.amountCents}`,
      );
      return;
    }
    const view = await this.views.findView(payment.orderId);
    if (!view) return;
    await this.settlement.settle({ view, channel, payment, providerTradeNo: trade.providerTradeNo });
  }

  private async askAgain(refund: RefundRecord, payment: PaymentRecord): Promise<void> {
    if (refund.status === 'pending') return this.followUps.sendRefund(payment, refund);
    try {
      const outcome = await this.providers.refundStatus(payment.channel as ProviderChannel, {
        outTradeNo: payment.outTradeNo,
        refundNo: refund.refundNo,
        amountCents: refund.amountCents,
        reason: refund.reason,
      });
      if (outcome.outcome !== 'processing') await this.followUps.recordOutcome(refund, outcome);
    } catch (error) {
      this.logger.warn(`refund ${refund.refundNo}: ${payment.channel} not asked (${(error as Error).message})`);
    }
  }
}
