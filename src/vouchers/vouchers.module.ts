import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { VoucherHoldsService } from './voucher-holds.service';
import { VouchersController } from './vouchers.controller';
import { VouchersRepository } from './vouchers.repository';
import { VouchersService } from './vouchers.service';

/**
 * CONTRACT section 13: promotion codes. A hold takes a use in its own transaction (VoucherHoldsService);
 * `uses` comes from VoucherUses, which ticketing answers (it owns orders).
 */
@Module({
  imports: [CatalogModule],
  controllers: [VouchersController],
  providers: [VoucherHoldsService, VouchersService, VouchersRepository],
  exports: [VoucherHoldsService, VouchersService],
})
export class VouchersModule {}
