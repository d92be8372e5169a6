import { CinemaAccessService } from '../catalog/cinema-access.service';
import { MoviesService } from '../catalog/movies.service';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { TransactionRunner } from '../database/transaction-runner';
import type { CreateVoucherDto } from './dto/voucher-request.dto';
import { Voucher } from './entities/voucher.entity';
import { NewVoucher, VouchersRepository } from './vouchers.repository';
import { VouchersService } from './vouchers.service';

const user = (role: AuthUser['role'], id = 7): AuthUser => ({ id, role, tokenId: 't', expiresAt: new Date() });
const duplicateKey = () => Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' });
const saved = (voucher: NewVoucher): Voucher => ({ ...voucher, id: 1, useVersion: 0, createdAt: new Date() });

describe('VouchersService', () => {
  let repository: { insert: jest.Mock; findOwned: jest.Mock };
  let access: { requireManageable: jest.Mock };
  let service: VouchersService;
  const body: CreateVoucherDto = { cinemaId: 3, kind: 'amount', value: 10.5, maxUses: 5 };

  beforeEach(() => {
    repository = { insert: jest.fn((_, voucher: NewVoucher) => Promise.resolve(saved(voucher))), findOwned: jest.fn() };
    access = { requireManageable: jest.fn().mockResolvedValue({ id: 3, ownerId: 7 }) };
    const runner = { run: (work: (manager: unknown) => Promise<unknown>) => work({}) };
    service = new VouchersService(
      repository as unknown as VouchersRepository,
      access as unknown as CinemaAccessService,
      { requireMovie: jest.fn() } as unknown as MoviesService,
      { count: jest.fn().mockResolvedValue(new Map()) },
      runner as unknown as TransactionRunner,
    );
  });

  it('should keep an amount in cents and a sent code upper case', async () => {
    const voucher = await service.create(user('merchant'), { ...body, code: 'spring27' });
    expect(repository.insert.mock.calls[0][1]).toMatchObject({ code: 'SPRING27', value: 1050, perUserMaxUses: 1 });
    expect(voucher).toMatchObject({ code: 'SPRING27', value: 10.5, uses: 0 });
  });

  it('should try another generated code after a collision', async () => {
    repository.insert.mockRejectedValueOnce(duplicateKey());
    await expect(service.create(user('merchant'), body)).resolves.toMatchObject({
      code: expect.stringMatching(/^[A-Z0-9]{10}$/),
    });
    expect(repository.insert).toHaveBeenCalledTimes(2);
    expect(repository.insert.mock.calls[0][1].code).not.toBe(repository.insert.mock.calls[1][1].code);
  });

  it('should answer 1015 to a sent code that is taken, without trying another', async () => {
    repository.insert.mockRejectedValue(duplicateKey());
    await expect(service.create(user('merchant'), { ...body, code: 'TAKEN1' })).rejects.toMatchObject({
      result: ResultCode.AlreadyExists,
    });
    expect(repository.insert).toHaveBeenCalledTimes(1);
  });

  it('should require a cinema of a merchant before checking access', async () => {
    await expect(service.create(user('merchant'), { ...body, cinemaId: undefined })).rejects.toMatchObject({
      result: ResultCode.InvalidParams,
      data: [{ field: 'cinemaId' }],
    });
    expect(access.requireManageable).not.toHaveBeenCalled();
  });

  it('should let an admin create a voucher for every cinema', async () => {
    await expect(service.create(user('admin'), { ...body, cinemaId: undefined })).resolves.toMatchObject({
      cinemaId: null,
    });
    expect(access.requireManageable).not.toHaveBeenCalled();
  });

  it.each([0, 100, 12.5])('should refuse a percent of %s', async (value) => {
    await expect(service.create(user('admin'), { ...body, kind: 'percent', value })).rejects.toMatchObject({
      result: ResultCode.InvalidParams,
      data: [{ field: 'value' }],
    });
  });

  it('should hide a platform-wide voucher from a merchant as not found', async () => {
    repository.findOwned.mockResolvedValue({
      voucher: saved({ ...body, cinemaId: null } as NewVoucher),
      ownerId: null,
    });
    await expect(service.findOne(user('merchant'), 1)).rejects.toMatchObject({ result: ResultCode.NotFound });
  });
});
