/**
 * How many live orders carry each voucher: pending before their `expiresAt`, or paid (CONTRACT 13,
 * `uses`). Ticketing owns orders and answers it (VoucherUsesModule); vouchers sits below and asks.
 */
export abstract class VoucherUses {
  abstract count(voucherIds: number[], now: Date): Promise<Map<number, number>>;
}
