import { Module } from '@nestjs/common';
import { OutboxService } from './outbox.service';

/** The events of CONTRACT section 14, recorded by the sale path and read by notifications. */
@Module({
  providers: [OutboxService],
  exports: [OutboxService],
})
export class OutboxModule {}
