import { OFFERED_CHANNELS, type OfferedChannel } from '../../config/payment-settings';

export { OFFERED_CHANNELS, type OfferedChannel };

/** Injection token for the list of PaymentChannel implementations. */
export const PAYMENT_CHANNELS = Symbol('PAYMENT_CHANNELS');

export interface PaymentRequest {
  orderId: number;
  userId: number;
  amountCents: number;
}

/**
 * `captured`: the money is taken now, so the order is settled in the same request (mock, wallets
 * with a synchronous API). A redirect-and-callback provider would answer a new `awaiting` outcome
 * instead and settle later from its signed callback through `OrderPaymentsService.settle`, which
 * holds every rule of turning a hold into a sale.
 */
export type PaymentOutcome = { status: 'captured'; reference: string } | { status: 'declined'; reason: string };

export interface PaymentChannel {
  readonly name: OfferedChannel;
  collect(request: PaymentRequest): Promise<PaymentOutcome>;
}
