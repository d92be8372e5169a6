import { CinemaAccessService } from '../catalog/cinema-access.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { RawResponse } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { BoxOfficeRepository } from './box-office.repository';
import { BoxOfficeService } from './box-office.service';

const user = (role: AuthUser['role'], id = 7): AuthUser => ({ id, role, tokenId: 't', expiresAt: new Date() });
const range = { from: '2026-12-01', to: '2026-12-31' };

describe('BoxOfficeService', () => {
  let access: { requireManageable: jest.Mock };
  let repository: { sumSalesByMovie: jest.Mock; sumSalesByDay: jest.Mock; movieExists: jest.Mock };
  let service: BoxOfficeService;

  beforeEach(() => {
    access = { requireManageable: jest.fn().mockResolvedValue({ id: 3, ownerId: 7 }) };
    repository = {
      sumSalesByMovie: jest.fn().mockResolvedValue([]),
      sumSalesByDay: jest.fn().mockResolvedValue([]),
      movieExists: jest.fn().mockResolvedValue(true),
    };
    service = new BoxOfficeService(
      access as unknown as CinemaAccessService,
      repository as unknown as BoxOfficeRepository,
    );
  });

  it('should scope a merchant without cinemaId to the cinemas it owns', async () => {
    await expect(service.salesFilter(user('merchant'), range)).resolves.toEqual({ ...range, ownerId: 7 });
    expect(access.requireManageable).not.toHaveBeenCalled();
  });

  it('should leave an admin without cinemaId unscoped', async () => {
    await expect(service.salesFilter(user('admin'), range)).resolves.toEqual(range);
  });

  it('should check access to a named cinema before reading anything', async () => {
    access.requireManageable.mockRejectedValue(new AppException(ResultCode.PermissionDenied));
    await expect(service.movies(user('merchant'), { ...range, cinemaId: 3 })).rejects.toBeInstanceOf(AppException);
    expect(access.requireManageable).toHaveBeenCalledWith(expect.objectContaining({ id: 7 }), 3);
    expect(repository.sumSalesByMovie).not.toHaveBeenCalled();
  });

  it('should answer 1014 for an unknown movie', async () => {
    repository.movieExists.mockResolvedValue(false);
    await expect(service.daily(user('admin'), { ...range, movieId: 9 })).rejects.toMatchObject({
      result: ResultCode.NotFound,
    });
    expect(repository.sumSalesByDay).not.toHaveBeenCalled();
  });

  it('should map cents to yuan and answer CSV when asked', async () => {
    repository.sumSalesByDay.mockResolvedValue([{ showDate: '2026-12-01', ticketCount: 4, revenueCents: 17640 }]);
    await expect(service.daily(user('admin'), range)).resolves.toEqual([
      { date: '2026-12-01', ticketCount: 4, revenue: 176.4 },
    ]);
    const csv = await service.daily(user('admin'), { ...range, format: 'csv' });
    expect(csv).toBeInstanceOf(RawResponse);
    expect(String((csv as RawResponse).body)).toBe('\uFEFFdate,ticketCount,revenue\r\n2026-12-01,4,176.4\r\n');
  });
});
