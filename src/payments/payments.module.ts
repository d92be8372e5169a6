import { Module } from '@nestjs/common';
import { PaymentsController } from './payments.controller';

/** CONTRACT section 12: the channels a cinema takes money through. */
@Module({ controllers: [PaymentsController] })
export class PaymentsModule {}
