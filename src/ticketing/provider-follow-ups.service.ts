import { Injectable, Logger } from '@nestjs/common';
import { SaleTransactions } from '../database/sale-transactions';
import { PaymentRecord, PaymentRecordsService, RefundRecord, RefundStatus } from '../payments/payment-records.service';
import { PaymentProvidersService, ProviderChannel, RefundOutcome } from '../payments/payment-providers.service';

/**
 * What is asked of a provider after a commit decided it: closing attempts that can no longer sell
 * anything, and sending refunds. A provider that cannot be reached leaves the record as it is, and
 * the sweep (PaymentSweepService) asks again; every request here may be repeated safely.
 */
@Injectable()
export class ProviderFollowUps {
  private readonly logger = new Logger(ProviderFollowUps.name);

  constructor(
    private readonly sales: SaleTransactions,
    private readonly records: PaymentRecordsService,
    private readonly providers: PaymentProvidersService,
  ) {}

  /** Once an order is paid, its other open attempts could only take money that would go back. */
  async closeAll(open: PaymentRecord[]): Promise<void> {
    await Promise.all(open.map((payment) => this.close(payment)));
  }

  /** A cancelled order's open attempts. */
  async closeOpen(orderId: number): Promise<void> {
    const open = (await this.records.ofOrder(orderId)).filter((payment) => payment.status === 'pending');
    await Promise.all(open.map((payment) => this.close(payment)));
  }

  /**
   * Closed at the provider first, so that it can no longer be paid, then here. A trade paid meanwhile
   * refuses to close: it stays pending, and the sweep's query settles it (or refunds it).
   */
  async close(payment: PaymentRecord): Promise<boolean> {
    try {
      await this.providers.close(payment.channel as ProviderChannel, payment.outTradeNo);
    } catch (error) {
      this.logger.warn(`payment ${payment.id}: not closed at ${payment.channel} (${(error as Error).message})`);
      return false;
    }
    return this.sales.run((tx) => this.records.markClosed(tx, payment.id, tx.startedAt));
  }

  /** Asks for the refund recorded for `payment`, under its fixed number, and records the answer. */
  async sendRefund(payment: PaymentRecord, refund?: RefundRecord): Promise<void> {
    const recorded = refund ?? (await this.records.refundOf(payment.id));
    if (!recorded) return;
    let outcome: RefundOutcome;
    try {
      outcome = await this.providers.refund(payment.channel as ProviderChannel, {
        outTradeNo: payment.outTradeNo,
        refundNo: recorded.refundNo,
        amountCents: recorded.amountCents,
        reason: recorded.reason,
      });
    } catch (error) {
      this.logger.warn(`refund ${recorded.refundNo}: not sent to ${payment.channel} (${(error as Error).message})`);
      return;
    }
    await this.recordOutcome(recorded, outcome);
  }

  /** WeChat Pay finishing a PROCESSING refund (its notification, or its answer to the sweep's query). */
  async recordOutcome(refund: RefundRecord, outcome: RefundOutcome): Promise<void> {
    const status: RefundStatus =
      outcome.outcome === 'refunded' ? 'succeeded' : outcome.outcome === 'processing' ? 'processing' : 'refused';
    if (outcome.outcome === 'refused') {
      // Money the customer should have back is still with the cinema: a person must look.
      this.logger.error(`refund ${refund.refundNo} refused by the provider: ${outcome.reason}`);
    }
    const reason = outcome.outcome === 'refused' ? outcome.reason : undefined;
    await this.sales.run((tx) => this.records.updateRefund(tx, refund.id, status, tx.startedAt, reason));
  }
}
