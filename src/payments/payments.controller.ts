import { Controller, Get } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/auth.decorators';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import type { EnvironmentVariables } from '../config/env.validation';
import { enabledChannels, PAYMENT_METHODS } from '../config/payment-settings';
import { PaymentChannelDto } from './dto/payment-channel.dto';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  private readonly channels: PaymentChannelDto[];

  constructor(config: ConfigService<EnvironmentVariables, true>) {
    // Fixed at start-up: PAYMENT_CHANNELS is read once, like every setting.
    this.channels = enabledChannels({
      NODE_ENV: config.get('NODE_ENV', { infer: true }),
      PAYMENT_CHANNELS: config.get('PAYMENT_CHANNELS', { infer: true }),
    }).map((channel) => ({ channel, methods: [...PAYMENT_METHODS] }));
  }

  @Get('channels')
  @Public()
  @ApiOperation({ summary: 'The payment channels this cinema takes, and their methods (a plain list)' })
  @ApiEnvelope([PaymentChannelDto])
  list(): PaymentChannelDto[] {
    return this.channels;
  }
}
