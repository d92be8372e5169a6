import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ApplicationStatus, MerchantApplication } from './entities/merchant-application.entity';

export type NewApplication = Pick<MerchantApplication, 'userId' | 'cinemaName' | 'city' | 'address' | 'legalPerson'> &
  Pick<MerchantApplication, 'contactName' | 'contactPhone' | 'email' | 'website' | 'taxCertificateUrl' | 'description'>;

export type Review =
  { status: 'approved'; reviewedAt: Date } | { status: 'rejected'; reviewedAt: Date; rejectReason: string };

@Injectable()
export class MerchantApplicationsRepository {
  constructor(@InjectRepository(MerchantApplication) private readonly applications: Repository<MerchantApplication>) {}

  findById(id: number, manager: EntityManager = this.applications.manager): Promise<MerchantApplication | null> {
    return manager.findOneBy(MerchantApplication, { id });
  }

  /** pending_user_id carries the unique index that refuses a second pending application. */
  insertPending(manager: EntityManager, fields: NewApplication): Promise<MerchantApplication> {
    return manager.save(
      manager.create(MerchantApplication, { ...fields, status: 'pending', pendingUserId: fields.userId }),
    );
  }

  listByUser(userId: number, skip: number, take: number): Promise<[MerchantApplication[], number]> {
    return this.applications.findAndCount({
      where: { userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take,
    });
  }

  list(status: ApplicationStatus | undefined, skip: number, take: number): Promise<[MerchantApplication[], number]> {
    return this.applications.findAndCount({
      where: status ? { status } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take,
    });
  }

  /**
   * Moves a pending application to its verdict in one conditional statement, so that of two admins
   * reviewing at once exactly one gets a row back; frees the applicant to apply again.
   */
  async review(manager: EntityManager, id: number, review: Review): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(MerchantApplication)
      .set({ ...review, pendingUserId: null })
      .where('id = :id AND status = :pending', { id, pending: 'pending' })
      .execute();
    return result.affected === 1;
  }

  async linkCinema(manager: EntityManager, id: number, cinemaId: number): Promise<MerchantApplication> {
    await manager.update(MerchantApplication, { id }, { cinemaId });
    return manager.findOneByOrFail(MerchantApplication, { id });
  }
}
