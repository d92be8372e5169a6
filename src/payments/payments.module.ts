import { Module } from '@nestjs/common';
import { PaymentProvidersService } from './payment-providers.service';
import { PaymentRecordsService } from './payment-records.service';
import { PaymentsController } from './payments.controller';

/**
 * CONTRACT section 12: the channels a cinema takes money through, the providers' APIs, and the
 * record of every attempt and refund. Turning a payment into a sale is ticketing's: it changes an
 * order and its payment in one transaction through PaymentRecordsService.
 */
@Module({
  controllers: [PaymentsController],
  providers: [PaymentRecordsService, PaymentProvidersService],
  exports: [PaymentRecordsService, PaymentProvidersService],
})
export class PaymentsModule {}
