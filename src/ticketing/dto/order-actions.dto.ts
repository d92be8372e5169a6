import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import {
  PAYMENT_CHANNEL_NAMES,
  PAYMENT_METHODS,
  type PaymentChannelName,
  type PaymentMethod,
} from '../../config/payment-settings';
import { registerFastPath } from '../../common/fast-validation';

export class PayOrderDto {
  /** how to pay: one of the enabled channels (`GET /payments/channels`); mock pays at once, alipay and wechat open a trade at the provider */
  @ApiPropertyOptional({ enum: PAYMENT_CHANNEL_NAMES, default: 'mock' })
  @IsOptional()
  @IsIn(PAYMENT_CHANNEL_NAMES)
  channel?: PaymentChannelName;

  /** `qr` (a code to scan) or `app` (the provider's mobile SDK); mock takes either and pays at once */
  @ApiPropertyOptional({ enum: PAYMENT_METHODS, default: 'qr' })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  method?: PaymentMethod;
}

// Every payment sends this; a known channel and method, or neither, skip the full validation.
registerFastPath(PayOrderDto, (value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.some((key) => key !== 'channel' && key !== 'method')) return undefined;
  const { channel, method } = value as { channel?: unknown; method?: unknown };
  const knownChannel = channel === undefined ? undefined : PAYMENT_CHANNEL_NAMES.find((name) => name === channel);
  const knownMethod = method === undefined ? undefined : PAYMENT_METHODS.find((name) => name === method);
  if ((channel !== undefined && !knownChannel) || (method !== undefined && !knownMethod)) return undefined;
  return Object.assign(
    new PayOrderDto(),
    knownChannel && { channel: knownChannel },
    knownMethod && { method: knownMethod },
  );
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
