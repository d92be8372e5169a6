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
import { PaymentNotificationsController } from './payment-notifications.controller';
import { PaymentNotificationsService } from './payment-notifications.service';
import { PaymentSettlementService } from './payment-settlement.service';
import { PaymentSweepService } from './payment-sweep.service';
import { ProviderFollowUps } from './provider-follow-ups.service';
import { PaymentsModule } from '../payments/payments.module';
import { OutboxModule } from '../outbox/outbox.module';
import { VouchersModule } from '../vouchers/vouchers.module';
import { SeatClaimsRepository } from './seat-claims.repository';
import { SeatHoldsService } from './seat-holds.service';
import { SeatMapController } from './seat-map.controller';
import { SeatMapRepository } from './seat-map.repository';
import { SeatMapService } from './seat-map.service';
import { VoucherUsesModule } from './voucher-uses.module';

@Module({
  imports: [
    SchedulesModule,
    CatalogModule,
    LiveClaimsModule,
    VoucherUsesModule,
    PaymentsModule,
    VouchersModule,
    OutboxModule,
  ],
  controllers: [
    OrdersController,
    OrderActionsController,
    CheckInController,
    SeatMapController,
    PaymentNotificationsController,
  ],
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
    PaymentSettlementService,
    ProviderFollowUps,
    PaymentSweepService,
    PaymentNotificationsService,
  ],
  exports: [SeatMapService, HoldSweepService],
})
export class TicketingModule {}
