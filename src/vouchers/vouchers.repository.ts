import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Voucher } from './entities/voucher.entity';

export type NewVoucher = Pick<
  Voucher,
  | 'code'
  | 'cinemaId'
  | 'movieId'
  | 'kind'
  | 'value'
  | 'maxUses'
  | 'perUserMaxUses'
  | 'minSeats'
  | 'validFrom'
  | 'validTo'
  | 'active'
>;
export type VoucherChanges = Partial<Pick<Voucher, 'maxUses' | 'validTo' | 'active'>>;

/** A voucher with the owner of its cinema (null: a platform-wide voucher, or a cinema without owner). */
export interface OwnedVoucher {
  voucher: Voucher;
  ownerId: number | null;
}

export interface VoucherFilter {
  cinemaId?: number;
  /** only vouchers of cinemas this user owns */
  ownerId?: number;
  active?: boolean;
}

@Injectable()
export class VouchersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, voucher: NewVoucher): Promise<Voucher> {
    return manager.getRepository(Voucher).save({ ...voucher, useVersion: 0 });
  }

  /** Reads the cinema's owner along the voucher's foreign key, for the access check. */
  async findOwned(id: number): Promise<OwnedVoucher | null> {
    const voucher = await this.dataSource
      .getRepository(Voucher)
      .createQueryBuilder('v')
      .leftJoinAndSelect('v.cinema', 'c')
      .where('v.id = :id', { id })
      .getOne();
    if (!voucher) return null;
    const ownerId = voucher.cinema?.ownerId ?? null;
    delete voucher.cinema;
    return { voucher, ownerId };
  }

  /** Newest first, with the count across pages. */
  list(filter: VoucherFilter, window: { skip: number; take: number }): Promise<[Voucher[], number]> {
    const query = this.dataSource.getRepository(Voucher).createQueryBuilder('v');
    if (filter.ownerId !== undefined) {
      query.innerJoin('v.cinema', 'c').andWhere('c.owner_id = :ownerId', { ownerId: filter.ownerId });
    }
    if (filter.cinemaId !== undefined) query.andWhere('v.cinema_id = :cinemaId', { cinemaId: filter.cinemaId });
    if (filter.active !== undefined) query.andWhere('v.active = :active', { active: filter.active ? 1 : 0 });
    // offset/limit: the join only filters (one cinema per voucher), so rows stay one per voucher.
    return query.orderBy('v.id', 'DESC').offset(window.skip).limit(window.take).getManyAndCount();
  }

  /**
   * The voucher, its row written first as every hold that takes a use writes it (use_version + 1):
   * holds naming it wait for this transaction (and conflict with it across Galera nodes), so the
   * uses counted next stay true until the change commits.
   */
  async lockForChange(manager: EntityManager, id: number): Promise<Voucher | null> {
    await manager
      .getRepository(Voucher)
      .createQueryBuilder()
      .update()
      .set({ useVersion: () => 'use_version + 1' })
      .where('id = :id', { id })
      .execute();
    return manager.getRepository(Voucher).findOneBy({ id });
  }

  async update(manager: EntityManager, id: number, changes: VoucherChanges): Promise<void> {
    await manager.getRepository(Voucher).update({ id }, changes);
  }
}
