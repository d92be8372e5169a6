import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { pageWindow } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { TransactionRunner } from '../database/transaction-runner';
import { UsersService } from '../users/users.service';
import { CatalogShowtimes } from './catalog-showtimes';
import { canManage, CinemaAccessService } from './cinema-access.service';
import { CinemasRepository, NewCinema } from './cinemas.repository';
import {
  CinemaDto,
  CinemaQueryDto,
  CinemaSummaryDto,
  CreateCinemaDto,
  toCinemaDto,
  toCinemaSummaryDto,
  UpdateCinemaDto,
} from './dto/cinema.dto';
import { Cinema } from './entities/cinema.entity';

@Injectable()
export class CinemasService {
  constructor(
    private readonly repository: CinemasRepository,
    private readonly access: CinemaAccessService,
    private readonly users: UsersService,
    private readonly showtimes: CatalogShowtimes,
    private readonly runner: TransactionRunner,
  ) {}

  /** Active cinemas (showing `movieId` when given), each with its lowest price of showtimes to come. */
  async list(query: CinemaQueryDto): Promise<Page<CinemaSummaryDto>> {
    const { skip, take } = pageWindow(query);
    const { movieId } = query;
    const now = new Date();
    const ids = movieId === undefined ? undefined : await this.showtimes.cinemasShowing(movieId, now);
    const [cinemas, total] = await this.repository.listActive({ city: query.city || undefined, ids }, skip, take);
    const onPage = cinemas.map((c) => c.id);
    const prices = await this.showtimes.lowestPrices(onPage, now, movieId);
    const rows = cinemas.map((c) => ({ ...c, beginPriceCents: prices.get(c.id) ?? null }));
    return new Page(rows.map(toCinemaSummaryDto), total);
  }

  any(manager: EntityManager): Promise<boolean> {
    return this.repository.exists(manager);
  }

  /** Suspended and expired cinemas are hidden from the public (1014) but not from who runs them. */
  async getProfile(user: AuthUser | undefined, id: number): Promise<CinemaDto> {
    const cinema = await this.repository.findById(id);
    const managed = cinema !== null && user !== undefined && canManage(user, cinema);
    if (!cinema || (cinema.status !== 'active' && !managed)) {
      throw new AppException(ResultCode.NotFound, 'cinema not found');
    }
    return toCinemaDto(cinema, managed);
  }

  async create(dto: CreateCinemaDto): Promise<CinemaDto> {
    const cinema = await this.runner.run((manager) =>
      this.createOwned(manager, { name: dto.name, city: dto.city, address: dto.address, ownerId: dto.ownerId ?? null }),
    );
    return toCinemaDto(cinema, true);
  }

  async update(user: AuthUser, id: number, dto: UpdateCinemaDto): Promise<CinemaDto> {
    await this.access.requireManageable(user, id);
    if (dto.status !== undefined && user.role !== 'admin') {
      throw new AppException(ResultCode.PermissionDenied, 'only an admin may change a cinema status');
    }
    const cinema = await this.runner.run((manager) => this.repository.update(manager, id, dto));
    return toCinemaDto(cinema, true);
  }

  /**
   * Creates a cinema in the caller's transaction. A customer owner becomes a merchant (which revokes
   * their tokens, so that the next login carries the role); merchants and admins keep theirs.
   */
  async createOwned(manager: EntityManager, fields: NewCinema): Promise<Cinema> {
    if (fields.ownerId !== null) {
      const owner = await this.users.findById(fields.ownerId);
      if (!owner) {
        const message = 'ownerId must be an existing user';
        throw new AppException(ResultCode.InvalidParams, `ownerId: ${message}`, [{ field: 'ownerId', message }]);
      }
      if (owner.role === 'customer') await this.users.changeRole(manager, owner.id, 'merchant');
    }
    return this.repository.insert(manager, fields);
  }
}
