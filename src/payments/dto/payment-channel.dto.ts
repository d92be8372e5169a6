import { ApiProperty } from '@nestjs/swagger';
import {
  PAYMENT_CHANNEL_NAMES,
  PAYMENT_METHODS,
  type PaymentChannelName,
  type PaymentMethod,
} from '../../config/payment-settings';

export class PaymentChannelDto {
  @ApiProperty({ enum: PAYMENT_CHANNEL_NAMES })
  channel!: PaymentChannelName;

  /** how it may be paid: `qr` (a code to scan), `app` (the provider's mobile SDK); mock takes either and pays at once */
  @ApiProperty({ enum: PAYMENT_METHODS, isArray: true })
  methods!: PaymentMethod[];
}
