import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PAYMENT_CHANNEL_NAMES, type PaymentChannelName } from '../payment/payment-channel';

export class PayOrderDto {
  /** how to pay; only `mock` for now */
  @ApiPropertyOptional({ enum: PAYMENT_CHANNEL_NAMES, default: 'mock' })
  @IsOptional()
  @IsIn(PAYMENT_CHANNEL_NAMES)
  channel?: PaymentChannelName;
}

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
