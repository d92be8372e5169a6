import { ApiProperty } from '@nestjs/swagger';
import { centsToYuan } from '../../common/time';
import { PAYMENT_CHANNEL_NAMES, PAYMENT_METHODS } from '../../config/payment-settings';
import { PAYMENT_STATUSES, type PaymentStatus } from '../entities/payment.entity';
import type { PaymentRecord } from '../payment-records.service';

/** An order's latest payment attempt (CONTRACT section 12). */
export class PaymentDto {
  id!: number;
  @ApiProperty({ enum: PAYMENT_CHANNEL_NAMES })
  channel!: string;
  @ApiProperty({ enum: PAYMENT_METHODS })
  method!: string;
  /** `pending`: open at the provider; `closed`: closed unpaid; `refunding` until the provider confirms the money moved */
  @ApiProperty({ enum: PAYMENT_STATUSES })
  status!: PaymentStatus;
  /** in yuan */
  @ApiProperty({ example: 91 })
  amount!: number;
  /** method `qr`: the provider's code URL for the customer to scan (Alipay `qr_code`, WeChat Pay `code_url`) */
  @ApiProperty({ type: String, nullable: true, example: 'weixin://wxpay/bizpayurl?pr=aIQrOYOzz' })
  qrCode!: string | null;
  /**
   * method `app`: what the provider's mobile SDK takes: Alipay's signed order string, or WeChat Pay's
   * `{ appid, partnerid, prepayid, package, noncestr, timestamp, sign }`
   */
  @ApiProperty({
    anyOf: [
      { type: 'string', nullable: true },
      { type: 'object', additionalProperties: true },
    ],
  })
  appParams!: unknown;
  /** the provider's own trade number (Alipay `trade_no`, WeChat Pay `transaction_id`), once paid */
  @ApiProperty({ type: String, nullable: true })
  providerTradeNo!: string | null;
  createdAt!: string;
  paidAt!: string | null;
  refundedAt!: string | null;
}

export function toPaymentDto(payment: PaymentRecord): PaymentDto {
  return {
    id: payment.id,
    channel: payment.channel,
    method: payment.method,
    status: payment.status,
    amount: centsToYuan(payment.amountCents),
    qrCode: payment.qrCode,
    appParams: payment.appParams,
    providerTradeNo: payment.providerTradeNo,
    createdAt: payment.createdAt.toISOString(),
    paidAt: payment.paidAt?.toISOString() ?? null,
    refundedAt: payment.refundedAt?.toISOString() ?? null,
  };
}
