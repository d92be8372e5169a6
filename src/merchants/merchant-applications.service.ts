import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CinemasService } from '../catalog/cinemas.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { PageQueryDto, pageWindow } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { duplicateKeyIndex, isDuplicateKeyError } from '../database/db-errors';
import { TransactionRunner } from '../database/transaction-runner';
import {
  ApplicationDto,
  ApplicationQueryDto,
  CreateApplicationDto,
  RejectApplicationDto,
  toApplicationDto,
} from './dto/merchant-application.dto';
import { MerchantApplicationsRepository } from './merchant-applications.repository';

@Injectable()
export class MerchantApplicationsService {
  constructor(
    private readonly repository: MerchantApplicationsRepository,
    private readonly cinemas: CinemasService,
    private readonly runner: TransactionRunner,
  ) {}

  async apply(user: AuthUser, dto: CreateApplicationDto): Promise<ApplicationDto> {
    const fields = {
      ...dto,
      userId: user.id,
      email: dto.email?.toLowerCase() ?? null,
      website: dto.website ?? null,
      taxCertificateUrl: dto.taxCertificateUrl ?? null,
      description: dto.description ?? null,
    };
    try {
      const application = await this.runner.run((manager) => this.repository.insertPending(manager, fields));
      return toApplicationDto(application);
    } catch (error) {
      if (isDuplicateKeyError(error) && isPendingUserIndex(duplicateKeyIndex(error))) {
        throw new AppException(ResultCode.AlreadyExists, 'you already have a pending application');
      }
      throw error;
    }
  }

  async mine(user: AuthUser, query: PageQueryDto): Promise<Page<ApplicationDto>> {
    const { skip, take } = pageWindow(query);
    const [applications, total] = await this.repository.listByUser(user.id, skip, take);
    return new Page(applications.map(toApplicationDto), total);
  }

  async list(query: ApplicationQueryDto): Promise<Page<ApplicationDto>> {
    const { skip, take } = pageWindow(query);
    const [applications, total] = await this.repository.list(query.status, skip, take);
    return new Page(applications.map(toApplicationDto), total);
  }

  /** The verdict, the cinema and the applicant's new role commit together or not at all. */
  async approve(id: number): Promise<ApplicationDto> {
    const application = await this.runner.run(async (manager) => {
      if (!(await this.repository.review(manager, id, { status: 'approved', reviewedAt: new Date() }))) {
        throw await this.notPending(manager, id);
      }
      const approved = await this.repository.findById(id, manager);
      if (!approved) throw new AppException(ResultCode.NotFound, 'application not found');
      const cinema = await this.cinemas.createOwned(manager, {
        name: approved.cinemaName,
        city: approved.city,
        address: approved.address,
        ownerId: approved.userId,
        contactName: approved.contactName,
        contactPhone: approved.contactPhone,
        website: approved.website,
        description: approved.description,
      });
      return this.repository.linkCinema(manager, id, cinema.id);
    });
    return toApplicationDto(application);
  }

  async reject(id: number, dto: RejectApplicationDto): Promise<ApplicationDto> {
    const application = await this.runner.run(async (manager) => {
      const review = { status: 'rejected' as const, reviewedAt: new Date(), rejectReason: dto.reason };
      if (!(await this.repository.review(manager, id, review))) throw await this.notPending(manager, id);
      return this.repository.findById(id, manager);
    });
    if (!application) throw new AppException(ResultCode.NotFound, 'application not found');
    return toApplicationDto(application);
  }

  private async notPending(manager: EntityManager, id: number): Promise<AppException> {
    const application = await this.repository.findById(id, manager);
    if (!application) return new AppException(ResultCode.NotFound, 'application not found');
    return new AppException(ResultCode.Failed, `the application is already ${application.status}, not pending`);
  }
}

/** SQLite names the column of the violated index, MySQL the index itself. */
function isPendingUserIndex(index: string): boolean {
  return index === 'uq_applications_pending_user' || index === 'merchant_applications.pending_user_id';
}
