import { ApiProperty } from '@nestjs/swagger';
import { centsToYuan } from '../../common/time';
import type { Voucher, VoucherKind } from '../entities/voucher.entity';
import { VOUCHER_KINDS } from './voucher-request.dto';

export class VoucherDto {
  id!: number;
  /** upper case, unique across the platform */
  code!: string;
  /** `null`: every cinema */
  @ApiProperty({ type: Number, nullable: true })
  cinemaId!: number | null;
  /** `null`: every movie */
  @ApiProperty({ type: Number, nullable: true })
  movieId!: number | null;
  @ApiProperty({ enum: VOUCHER_KINDS })
  kind!: VoucherKind;
  /** `amount`: yuan off the order; `percent`: % off */
  @ApiProperty({ example: 10.5 })
  value!: number;
  maxUses!: number;
  perUserMaxUses!: number;
  minSeats!: number;
  @ApiProperty({ type: String, nullable: true, example: '2027-01-01T00:00:00.000Z' })
  validFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2027-02-01T00:00:00.000Z' })
  validTo!: string | null;
  active!: boolean;
  /** orders that carry it and still hold or own their seats (pending before their expiry, and paid) */
  uses!: number;
  createdAt!: string;
}

export function toVoucherDto(voucher: Voucher, uses: number): VoucherDto {
  return {
    id: voucher.id,
    code: voucher.code,
    cinemaId: voucher.cinemaId,
    movieId: voucher.movieId,
    kind: voucher.kind,
    value: voucher.kind === 'amount' ? centsToYuan(voucher.value) : voucher.value,
    maxUses: voucher.maxUses,
    perUserMaxUses: voucher.perUserMaxUses,
    minSeats: voucher.minSeats,
    validFrom: voucher.validFrom ? voucher.validFrom.toISOString() : null,
    validTo: voucher.validTo ? voucher.validTo.toISOString() : null,
    active: voucher.active,
    uses,
    createdAt: voucher.createdAt.toISOString(),
  };
}
