import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PAYMENT_CHANNEL_NAMES, type PaymentChannelName } from '../payment/payment-channel';
import { hasExactKeys, registerFastPath } from '../../common/fast-validation';

export class PayOrderDto {
  /** how to pay; only `mock` for now */
  @ApiPropertyOptional({ enum: PAYMENT_CHANNEL_NAMES, default: 'mock' })
  @IsOptional()
  @IsIn(PAYMENT_CHANNEL_NAMES)
  channel?: PaymentChannelName;
}

// Every payment sends this; `{}` or a known channel skip the full validation.
registerFastPath(PayOrderDto, (value) => {
  if (hasExactKeys(value, ['channel'] as const)) {
    const channel = PAYMENT_CHANNEL_NAMES.find((name) => name === value.channel);
    return channel ? Object.assign(new PayOrderDto(), { channel }) : undefined;
  }
  return hasExactKeys(value, []) ? new PayOrderDto() : undefined;
});

export class QrCodeQueryDto {
  /** image format: PNG unless `svg` */
  @ApiPropertyOptional({ enum: ['png', 'svg'], default: 'png' })
  @IsOptional()
  @IsIn(['png', 'svg'])
  format?: 'png' | 'svg';
}

export class CheckInDto {
  /** the 16-digit code on the customer's ticket */
  @IsString()
  ticketCode!: string;
}
