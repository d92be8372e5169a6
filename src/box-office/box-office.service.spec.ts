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
  let repository: {
    sumSalesByMovie: jest.Mock;
    sumSalesByDay: jest.Mock;
    findPaidOrderSeats: jest.Mock;
    sumSalesByChannel: jest.Mock;
    movieExists: jest.Mock;
  };
  let service: BoxOfficeService;

  beforeEach(() => {
    access = { requireManageable: jest.fn().mockResolvedValue({ id: 3, ownerId: 7 }) };
    repository = {
      sumSalesByMovie: jest.fn().mockResolvedValue([]),
      sumSalesByDay: jest.fn().mockResolvedValue([]),
      findPaidOrderSeats: jest.fn().mockResolvedValue([]),
      sumSalesByChannel: jest.fn().mockResolvedValue([]),
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

  it('should map the movie rows’ discount cents to yuan', async () => {
    repository.sumSalesByMovie.mockResolvedValue([
      {
        movieId: 1,
        movieTitle: 'A',
        scheduleCount: 1,
        ticketCount: 2,
        revenueCents: 8100,
        discountCents: 1000,
        seatCount: 40,
      },
    ]);
    await expect(service.movies(user('admin'), range)).resolves.toEqual([
      expect.objectContaining({ revenue: 81, discount: 10, occupancy: 0.05 }),
    ]);
  });

  it('should split the zones from the paid orders read for the movie asked, and answer 1014 for an unknown one', async () => {
    repository.findPaidOrderSeats.mockResolvedValue([
      {
        seats: [
          { row: 1, col: 1, zone: 'VIP', priceCents: 8000 },
          { row: 1, col: 2 },
        ],
        unitPriceCents: 4550,
        amountCents: 11550,
      },
    ]);
    await expect(service.zones(user('merchant'), { ...range, movieId: 4 })).resolves.toEqual([
      { zone: 'VIP', ticketCount: 1, revenue: 73.63 },
      { zone: 'standard', ticketCount: 1, revenue: 41.87 },
    ]);
    expect(repository.findPaidOrderSeats).toHaveBeenCalledWith({ ...range, ownerId: 7, movieId: 4 });
    repository.movieExists.mockResolvedValue(false);
    await expect(service.zones(user('admin'), { ...range, movieId: 9 })).rejects.toMatchObject({
      result: ResultCode.NotFound,
    });
  });

  it('should answer the channels as CSV when asked', async () => {
    repository.sumSalesByChannel.mockResolvedValue([{ channel: 'alipay', ticketCount: 2, revenueCents: 9100 }]);
    const csv = await service.channels(user('admin'), { ...range, cinemaId: 3, format: 'csv' });
    expect(String((csv as RawResponse).body)).toBe('\uFEFFchannel,ticketCount,revenue\r\nalipay,2,91\r\n');
    expect(repository.sumSalesByChannel).toHaveBeenCalledWith({ ...range, cinemaId: 3 });
  });
});
