import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PaymentChannel, PaymentOutcome, PaymentRequest } from './payment-channel';

/** Always captures: for development, tests and demos, where no money moves. */
@Injectable()
export class MockPaymentChannel implements PaymentChannel {
  readonly name = 'mock' as const;

  collect(_request: PaymentRequest): Promise<PaymentOutcome> {
    return Promise.resolve({ status: 'captured', reference: `mock-${randomUUID()}` });
  }
}
