import { EntityManager } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { CinemaAccessService } from '../catalog/cinema-access.service';
import { MoviesService } from '../catalog/movies.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { pageWindow } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { yuanToCents } from '../common/time';
import { isDuplicateKeyError } from '../database/db-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { toVoucherDto, VoucherDto } from './dto/voucher.dto';
import { CreateVoucherDto, UpdateVoucherDto, VoucherListQueryDto } from './dto/voucher-request.dto';
import { Voucher } from './entities/voucher.entity';
import { normalizeVoucherCode } from './voucher-rules';
import { VoucherUses } from './voucher-uses';
import { NewVoucher, VoucherChanges, VoucherFilter, VouchersRepository } from './vouchers.repository';

const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const GENERATED_CODE_LENGTH = 10;
/** 36^10 codes: a second collision in a row means something else is wrong. */
const GENERATE_ATTEMPTS = 5;

function invalid(field: string, message: string): AppException {
  return new AppException(ResultCode.InvalidParams, `${field}: ${message}`, [{ field, message }]);
}

function generatedCode(): string {
  return Array.from({ length: GENERATED_CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

function assertValidPeriod(validFrom: Date | null, validTo: Date | null): void {
  if (validFrom && validTo && validTo <= validFrom) throw invalid('validTo', 'validTo must be after validFrom');
}

@Injectable()
export class VouchersService {
  constructor(
    private readonly vouchers: VouchersRepository,
    private readonly access: CinemaAccessService,
    private readonly movies: MoviesService,
    private readonly uses: VoucherUses,
    private readonly runner: TransactionRunner,
  ) {}

  /** A voucher as given, in the caller's transaction, without an access check: for seeding an empty database. */
  async addPlanned(manager: EntityManager, voucher: NewVoucher): Promise<void> {
    await this.vouchers.insert(manager, voucher);
  }

  async create(user: AuthUser, dto: CreateVoucherDto): Promise<VoucherDto> {
    const cinemaId = dto.cinemaId ?? null;
    if (cinemaId === null && user.role !== 'admin') {
      throw invalid('cinemaId', 'cinemaId is required: a merchant voucher holds in one of their cinemas');
    }
    if (cinemaId !== null) await this.access.requireManageable(user, cinemaId);
    if (dto.movieId !== undefined && dto.movieId !== null) await this.movies.requireMovie(dto.movieId);
    if (dto.kind === 'percent' && !(Number.isInteger(dto.value) && dto.value >= 1 && dto.value <= 99)) {
      throw invalid('value', 'a percent voucher takes a whole number from 1 to 99');
    }
    const validFrom = dto.validFrom ? new Date(dto.validFrom) : null;
    const validTo = dto.validTo ? new Date(dto.validTo) : null;
    assertValidPeriod(validFrom, validTo);
    const terms: Omit<NewVoucher, 'code'> = {
      cinemaId,
      movieId: dto.movieId ?? null,
      kind: dto.kind,
      value: dto.kind === 'amount' ? yuanToCents(dto.value) : dto.value,
      maxUses: dto.maxUses,
      perUserMaxUses: dto.perUserMaxUses ?? 1,
      minSeats: dto.minSeats ?? 1,
      validFrom,
      validTo,
      active: true,
    };
    const voucher = dto.code
      ? await this.insert(terms, normalizeVoucherCode(dto.code))
      : await this.insertGenerated(terms);
    return toVoucherDto(voucher, 0);
  }

  /** Admins see every voucher; merchants those of the cinemas they own. */
  async list(user: AuthUser, query: VoucherListQueryDto): Promise<Page<VoucherDto>> {
    if (query.cinemaId !== undefined) await this.access.requireManageable(user, query.cinemaId);
    const filter: VoucherFilter = { cinemaId: query.cinemaId, active: query.active };
    if (user.role !== 'admin') filter.ownerId = user.id;
    const [vouchers, total] = await this.vouchers.list(filter, pageWindow(query));
    const uses = await this.usesOf(vouchers);
    return new Page(
      vouchers.map((voucher) => toVoucherDto(voucher, uses.get(voucher.id) ?? 0)),
      total,
    );
  }

  async findOne(user: AuthUser, id: number): Promise<VoucherDto> {
    const voucher = await this.requireVisible(user, id);
    return toVoucherDto(voucher, (await this.usesOf([voucher])).get(id) ?? 0);
  }

  async update(user: AuthUser, id: number, dto: UpdateVoucherDto): Promise<VoucherDto> {
    await this.requireVisible(user, id);
    const updated = await this.runner.run(async (manager) => {
      const voucher = await this.vouchers.lockForChange(manager, id);
      if (!voucher) throw new AppException(ResultCode.NotFound, 'voucher not found');
      const changes: VoucherChanges = {};
      if (dto.validTo !== undefined) {
        changes.validTo = dto.validTo === null ? null : new Date(dto.validTo);
        assertValidPeriod(voucher.validFrom, changes.validTo);
      }
      if (dto.active !== undefined) changes.active = dto.active;
      if (dto.maxUses !== undefined) {
        // Counted after the row is written: holds taking a use wait for this transaction meanwhile.
        const uses = (await this.usesOf([voucher])).get(id) ?? 0;
        if (dto.maxUses < uses) throw invalid('maxUses', `maxUses cannot be below the voucher's ${uses} uses`);
        changes.maxUses = dto.maxUses;
      }
      if (Object.keys(changes).length) await this.vouchers.update(manager, id, changes);
      return { ...voucher, ...changes };
    });
    return toVoucherDto(updated, (await this.usesOf([updated])).get(id) ?? 0);
  }

  /**
   * Another cinema's voucher answers 1014, as if it did not exist: a code is worth money, and a
   * merchant has no business learning which exist. Platform-wide vouchers are the admins'.
   */
  private async requireVisible(user: AuthUser, id: number): Promise<Voucher> {
    const found = await this.vouchers.findOwned(id);
    const visible =
      found !== null &&
      (user.role === 'admin' ||
        (user.role === 'merchant' && found.voucher.cinemaId !== null && found.ownerId === user.id));
    if (!visible) throw new AppException(ResultCode.NotFound, 'voucher not found');
    return found.voucher;
  }

  private usesOf(vouchers: Voucher[]): Promise<Map<number, number>> {
    if (!vouchers.length) return Promise.resolve(new Map());
    return this.uses.count(
      vouchers.map((voucher) => voucher.id),
      new Date(),
    );
  }

  /** The unique index decides, not a look-up before the insert: two requests may pick one code at once. */
  private async insert(terms: Omit<NewVoucher, 'code'>, code: string): Promise<Voucher> {
    try {
      return await this.runner.run((manager) => this.vouchers.insert(manager, { ...terms, code }));
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new AppException(ResultCode.AlreadyExists, `voucher code ${code} is taken`);
      throw error;
    }
  }

  private async insertGenerated(terms: Omit<NewVoucher, 'code'>): Promise<Voucher> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.insert(terms, generatedCode());
      } catch (error) {
        const collided = error instanceof AppException && error.result === ResultCode.AlreadyExists;
        if (!collided || attempt >= GENERATE_ATTEMPTS) throw error;
      }
    }
  }
}
