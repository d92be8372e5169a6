import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../config/env.validation';
import { enabledChannels } from '../config/payment-settings';
import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { CheckInController } from './check-in.controller';
import { CheckInService } from './check-in.service';
import { HoldSweepService } from './hold-sweep.service';
import { LiveClaimsModule } from './live-claims.module';
import { OrderActionsController } from './order-actions.controller';
import { OrderCancellationsService } from './order-cancellations.service';
import { OrderPaymentsService } from './order-payments.service';
import { OrdersController } from './orders.controller';
import { OrderViewsRepository } from './order-views.repository';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { MockPaymentChannel } from './payment/mock-payment.channel';
import { PAYMENT_CHANNELS, PaymentChannel } from './payment/payment-channel';
import { SeatClaimsRepository } from './seat-claims.repository';
import { SeatHoldsService } from './seat-holds.service';
import { SeatMapController } from './seat-map.controller';
import { SeatMapRepository } from './seat-map.repository';
import { SeatMapService } from './seat-map.service';

@Module({
  imports: [SchedulesModule, CatalogModule, LiveClaimsModule],
  controllers: [OrdersController, OrderActionsController, CheckInController, SeatMapController],
  providers: [
    OrdersRepository,
    OrderViewsRepository,
    SeatClaimsRepository,
    SeatHoldsService,
    OrdersService,
    OrderPaymentsService,
    OrderCancellationsService,
    CheckInService,
    SeatMapRepository,
    SeatMapService,
    HoldSweepService,
    MockPaymentChannel,
    // A real provider is one more class here (and its name in OFFERED_CHANNELS); PAYMENT_CHANNELS
    // says which of them this cinema takes.
    {
      provide: PAYMENT_CHANNELS,
      useFactory: (config: ConfigService<EnvironmentVariables, true>, ...channels: PaymentChannel[]) => {
        const enabled = enabledChannels({
          NODE_ENV: config.get('NODE_ENV', { infer: true }),
          PAYMENT_CHANNELS: config.get('PAYMENT_CHANNELS', { infer: true }),
        });
        return channels.filter((channel) => enabled.includes(channel.name));
      },
      inject: [ConfigService, MockPaymentChannel],
    },
  ],
  exports: [SeatMapService, HoldSweepService],
})
export class TicketingModule {}
