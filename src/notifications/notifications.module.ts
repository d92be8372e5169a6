import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { MessagingModule } from '../messaging/messaging.module';
import { OutboxModule } from '../outbox/outbox.module';
import { UsersModule } from '../users/users.module';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliverySender } from './delivery-sender.service';
import { DeliveryWorker } from './delivery-worker.service';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { EventRouting } from './event-routing.service';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * CONTRACT section 14: the events the sale path records in the outbox, sent after the commit to the
 * cinemas' webhook endpoints and to customers by email and SMS.
 */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint]), OutboxModule, CatalogModule, UsersModule, MessagingModule],
  controllers: [WebhooksController],
  providers: [
    WebhookEndpointsRepository,
    DeliveriesRepository,
    EventRouting,
    DeliverySender,
    DeliveryWorker,
    WebhooksService,
  ],
  exports: [DeliveryWorker],
})
export class NotificationsModule {}
