/** Every channel the API accepts in `POST /orders/:id/pay`; a new provider adds its name here. */
export const PAYMENT_CHANNEL_NAMES = ['mock'] as const;
export type PaymentChannelName = (typeof PAYMENT_CHANNEL_NAMES)[number];

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
  readonly name: PaymentChannelName;
  collect(request: PaymentRequest): Promise<PaymentOutcome>;
}
