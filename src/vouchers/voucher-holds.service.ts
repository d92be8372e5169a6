import { Injectable } from '@nestjs/common';
import { instantOf } from '../database/raw-sql';
import { readStatement, writeStatement } from '../database/statement';
import type { Transaction } from '../database/transaction';
import type { VoucherKind } from './entities/voucher.entity';
import type { VoucherTerms } from './voucher-rules';

interface VoucherRow {
  id: unknown;
  code: unknown;
  cinema_id: unknown;
  movie_id: unknown;
  kind: unknown;
  value: unknown;
  max_uses: unknown;
  per_user_max_uses: unknown;
  min_seats: unknown;
  valid_from: unknown;
  valid_to: unknown;
  active: unknown;
}

/** The vouchers a batch of holds names, inside the hold's transaction. */
@Injectable()
export class VoucherHoldsService {
  /**
   * The vouchers with these codes, each row written (use_version + 1) before it is read: holds that
   * name one voucher queue on its row until the first commits, on one server, and conflict at
   * certification across Galera nodes; so the uses a hold counts next stay true until its commit.
   * Codes in sorted order, so that two batches naming the same vouchers lock them in the same order.
   */
  async lockForUse(tx: Transaction, codes: string[]): Promise<VoucherTerms[]> {
    const sorted = [...new Set(codes)].sort();
    if (!sorted.length) return [];
    await tx.send(
      writeStatement('UPDATE vouchers SET use_version = use_version + 1 WHERE code IN (:...codes)', { codes: sorted }),
    );
    return tx.send(
      readStatement<VoucherRow, VoucherTerms[]>(
        `SELECT id, code, cinema_id, movie_id, kind, value, max_uses, per_user_max_uses, min_seats, valid_from, valid_to, active
           FROM vouchers WHERE code IN (:...codes)`,
        { codes: sorted },
        (rows) => rows.map(toTerms),
      ),
    );
  }
}

export function toTerms(row: VoucherRow): VoucherTerms {
  return {
    id: Number(row.id),
    code: typeof row.code === 'string' ? row.code : '',
    cinemaId: row.cinema_id === null ? null : Number(row.cinema_id),
    movieId: row.movie_id === null ? null : Number(row.movie_id),
    kind: row.kind as VoucherKind,
    value: Number(row.value),
    maxUses: Number(row.max_uses),
    perUserMaxUses: Number(row.per_user_max_uses),
    minSeats: Number(row.min_seats),
    validFrom: instantOf(row.valid_from),
    validTo: instantOf(row.valid_to),
    active: row.active === true || Number(row.active) === 1,
  };
}
