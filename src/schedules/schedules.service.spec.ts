import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { CinemaAccessService } from '../catalog/cinema-access.service';
import { MoviesService } from '../catalog/movies.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { TransactionRunner } from '../database/transaction-runner';
import { HallsService } from '../halls/halls.service';
import { LiveClaims } from './live-claims';
import { ScheduleViewsRepository } from './schedule-views.repository';
import { SchedulesRepository } from './schedules.repository';
import { SchedulesService } from './schedules.service';

const owner: AuthUser = { id: 7, role: 'merchant', tokenId: 't', expiresAt: new Date(Date.now() + 60_000) };
const hall = { id: 3, cinemaId: 5, seatCount: 40, rows: 5, cols: 8, disabledSeats: [], zones: null, couples: null };
const movie = { id: 9, durationMinutes: 120, releaseDate: '2031-03-01', offDate: '2031-03-10' };
const settings: Record<string, unknown> = { APP_TIMEZONE: 'Asia/Shanghai', CLEANING_MINUTES: 15 };

describe('SchedulesService', () => {
  let service: SchedulesService;
  /** The repository's mocks, and those of the hall, movie and live-claim questions asked of their owners. */
  let repo: Record<string, jest.Mock>;

  beforeEach(async () => {
    repo = {
      findActiveHall: jest.fn().mockResolvedValue(hall),
      lockActiveHall: jest.fn().mockResolvedValue(hall),
      findMovie: jest.fn().mockResolvedValue(movie),
      findClash: jest.fn().mockResolvedValue(null),
      insert: jest.fn().mockResolvedValue(1),
      findById: jest.fn(),
      lockById: jest.fn(),
      hasLiveClaims: jest.fn().mockResolvedValue(false),
    };
    const module = await Test.createTestingModule({
      providers: [
        SchedulesService,
        { provide: SchedulesRepository, useValue: repo },
        { provide: HallsService, useValue: { findActive: repo.findActiveHall, lockActive: repo.lockActiveHall } },
        { provide: MoviesService, useValue: { requireMovie: repo.findMovie } },
        { provide: LiveClaims, useValue: { anyLive: repo.hasLiveClaims } },
        { provide: ScheduleViewsRepository, useValue: { findView: jest.fn() } },
        { provide: CinemaAccessService, useValue: { requireManageable: jest.fn().mockResolvedValue({}) } },
        { provide: TransactionRunner, useValue: { run: (work: (m: object) => unknown) => work({}) } },
        { provide: ConfigService, useValue: { get: (key: string) => settings[key] } },
      ],
    }).compile();
    service = module.get(SchedulesService);
  });

  const create = (startsAt: string) => service.create(owner, { movieId: 9, hallId: 3, startsAt, price: 40 });
  const codeOf = (promise: Promise<unknown>) => promise.catch((e: AppException) => e.result.code);

  it('should refuse a start in the past with 2002 before touching the hall', async () => {
    await expect(codeOf(create('2020-01-01T10:00:00+08:00'))).resolves.toBe(2002);
    expect(repo.lockActiveHall).not.toHaveBeenCalled();
  });

  it('should refuse a local day after the off date, even when the UTC day is still the last one', async () => {
    await expect(codeOf(create('2031-03-11T00:30:00+08:00'))).resolves.toBe(1002);
  });

  it('should refuse a day before the release with 1002', async () => {
    await expect(codeOf(create('2031-02-28T23:59:00+08:00'))).resolves.toBe(1002);
  });

  it('should answer 2001 when the locked hall has a clashing showtime, and insert nothing', async () => {
    repo.findClash.mockResolvedValue({ id: 4, startsAt: new Date(), endsAt: new Date() });
    await expect(codeOf(create('2031-03-05T14:00:00+08:00'))).resolves.toBe(2001);
    expect(repo.insert).not.toHaveBeenCalled();
  });

  it('should answer 2009 for a move once seats are sold', async () => {
    const sold = {
      id: 1,
      hallId: 3,
      cinemaId: 5,
      movieId: 9,
      soldCount: 2,
      startsAt: new Date('2031-03-05T06:00:00Z'),
    };
    repo.findById.mockResolvedValue(sold);
    repo.lockById.mockResolvedValue(sold);
    await expect(codeOf(service.update(owner, 1, { startsAt: '2031-03-06T14:00:00+08:00' }))).resolves.toBe(2009);
  });
});
