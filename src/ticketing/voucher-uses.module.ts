import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { VoucherUses } from '../vouchers/voucher-uses';
import { Order } from './entities/order.entity';

/** Ticketing's answer to VoucherUses: it owns orders. A use is an order that holds or owns its seats. */
@Injectable()
export class OrdersVoucherUses extends VoucherUses {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async count(voucherIds: number[], now: Date): Promise<Map<number, number>> {
    const uses = new Map<number, number>();
    if (!voucherIds.length) return uses;
    const rows = await this.dataSource
      .getRepository(Order)
      .createQueryBuilder('o')
      .select(['o.voucher_id AS voucherId', 'COUNT(*) AS uses'])
      .where('o.voucher_id IN (:...voucherIds)', { voucherIds: [...new Set(voucherIds)] })
      .andWhere("(o.status = 'paid' OR (o.status = 'pending' AND o.expires_at > :now))", { now })
      .groupBy('o.voucher_id')
      .getRawMany<{ voucherId: number | string; uses: number | string }>();
    for (const row of rows) uses.set(Number(row.voucherId), Number(row.uses));
    return uses;
  }
}

/** Global because vouchers, which asks, sits below ticketing and cannot import it; only this answer is shared. */
@Global()
@Module({
  providers: [{ provide: VoucherUses, useClass: OrdersVoucherUses }],
  exports: [VoucherUses],
})
export class VoucherUsesModule {}
