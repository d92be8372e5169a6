import { Module } from '@nestjs/common';
import { VoucherHoldsService } from './voucher-holds.service';

/** CONTRACT section 13: promotion codes. A hold takes a use in its own transaction (VoucherHoldsService). */
@Module({
  providers: [VoucherHoldsService],
  exports: [VoucherHoldsService],
})
export class VouchersModule {}
