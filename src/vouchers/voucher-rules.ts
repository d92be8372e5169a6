import type { VoucherKind } from './entities/voucher.entity';

/** A voucher's terms, as a hold judges them. */
export interface VoucherTerms {
  id: number;
  code: string;
  cinemaId: number | null;
  movieId: number | null;
  kind: VoucherKind;
  /** `amount`: cents off; `percent`: 1–99 */
  value: number;
  maxUses: number;
  perUserMaxUses: number;
  minSeats: number;
  validFrom: Date | null;
  validTo: Date | null;
  active: boolean;
}

/** What a hold asks a voucher for: where and how many, and its uses so far (live orders carrying it). */
export interface VoucherUse {
  cinemaId: number;
  movieId: number;
  seatCount: number;
  now: Date;
  /** every order's uses, and this user's */
  uses: number;
  usesByUser: number;
}

/** Codes are sent in any case and kept upper case. */
export function normalizeVoucherCode(code: string): string {
  return code.trim().toUpperCase();
}

/** Why the voucher does not apply (CONTRACT 13, code 2012), or null when it does. */
export function voucherRefusal(voucher: VoucherTerms | undefined, use: VoucherUse): string | null {
  if (!voucher) return 'unknown voucher code';
  if (!voucher.active) return `voucher ${voucher.code} is not active`;
  if (voucher.validFrom && use.now < voucher.validFrom) {
    return `voucher ${voucher.code} is valid from ${voucher.validFrom.toISOString()}`;
  }
  if (voucher.validTo && use.now >= voucher.validTo) {
    return `voucher ${voucher.code} expired at ${voucher.validTo.toISOString()}`;
  }
  if (voucher.cinemaId !== null && voucher.cinemaId !== use.cinemaId) {
    return `voucher ${voucher.code} is for another cinema`;
  }
  if (voucher.movieId !== null && voucher.movieId !== use.movieId) {
    return `voucher ${voucher.code} is for another movie`;
  }
  if (use.seatCount < voucher.minSeats) {
    return `voucher ${voucher.code} needs at least ${voucher.minSeats} seats in the order`;
  }
  if (use.uses >= voucher.maxUses) return `voucher ${voucher.code} is used up`;
  if (use.usesByUser >= voucher.perUserMaxUses) {
    return `voucher ${voucher.code} can be used ${voucher.perUserMaxUses} time(s) per customer, and you have`;
  }
  return null;
}

/**
 * What the voucher takes off `totalCents`: an amount, or a percentage rounded half up to the fen;
 * never so much that the order would cost less than 0.01.
 */
export function voucherDiscount(voucher: Pick<VoucherTerms, 'kind' | 'value'>, totalCents: number): number {
  const off = voucher.kind === 'amount' ? voucher.value : Math.floor((totalCents * voucher.value + 50) / 100);
  return Math.max(0, Math.min(off, totalCents - 1));
}
