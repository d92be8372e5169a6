import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { CinemaAccessService } from '../catalog/cinema-access.service';
import { MovieRun, MoviesService } from '../catalog/movies.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { localDay, yuanToCents } from '../common/time';
import { EnvironmentVariables } from '../config/env.validation';
import { TransactionRunner } from '../database/transaction-runner';
import { HallSeating, HallsService } from '../halls/halls.service';
import { CreateScheduleDto, UpdateScheduleDto } from './dto/schedule-request.dto';
import { ShowtimeDto, toShowtimeDto } from './dto/showtime.dto';
import { Schedule } from './entities/schedule.entity';
import { LiveClaims } from './live-claims';
import { ScheduleViewsRepository } from './schedule-views.repository';
import { NewSchedule, ScheduleChanges, SchedulesRepository } from './schedules.repository';
import { clashBounds, hallFreeAt, ShowtimeSlot } from './showtime-slot';
import { pricingProblem, ShowtimePricing } from './showtime-pricing';

interface PlacedSlot extends ShowtimeSlot {
  showDate: string;
}

const invalid = (field: string, message: string) =>
  new AppException(ResultCode.InvalidParams, `${field}: ${message}`, [{ field, message }]);

/** The pricing a change leaves: what is sent replaces, what is not stays as `current` has it. */
function pricingOf(
  priceCents: number,
  zonePrices: Record<string, number> | undefined,
  ticketTypes: { name: string; discount: number }[] | undefined,
  current?: Pick<Schedule, 'zonePrices' | 'ticketTypes'>,
): ShowtimePricing {
  return {
    priceCents,
    zonePrices: zonePrices
      ? Object.fromEntries(Object.entries(zonePrices).map(([zone, yuan]) => [zone, yuanToCents(yuan)]))
      : (current?.zonePrices ?? {}),
    ticketTypes: ticketTypes
      ? ticketTypes.map(({ name, discount }) => ({ name, discountCents: yuanToCents(discount) }))
      : (current?.ticketTypes ?? []),
  };
}

function assertPricingFits(hall: HallSeating, pricing: ShowtimePricing): void {
  const problem = pricingProblem(hall, pricing);
  if (problem) throw new AppException(ResultCode.InvalidParams, `${problem.field}: ${problem.message}`, [problem]);
}

/** Scheduling: creating, moving, repricing and deleting showtimes without clashes in a hall. */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly schedules: SchedulesRepository,
    private readonly views: ScheduleViewsRepository,
    private readonly access: CinemaAccessService,
    private readonly halls: HallsService,
    private readonly movies: MoviesService,
    private readonly claims: LiveClaims,
    private readonly runner: TransactionRunner,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  async create(user: AuthUser, dto: CreateScheduleDto): Promise<ShowtimeDto> {
    const hall = await this.halls.findActive(dto.hallId);
    if (!hall) throw new AppException(ResultCode.NotFound, 'hall not found');
    await this.access.requireManageable(user, hall.cinemaId);
    const movie = await this.movies.requireMovie(dto.movieId);
    const slot = this.placeSlot(movie, new Date(dto.startsAt));
    return this.runner.run(async (manager) => {
      const lockedHall = await this.halls.lockActive(manager, hall.id);
      if (!lockedHall) throw new AppException(ResultCode.NotFound, 'hall not found');
      await this.assertHallFree(manager, lockedHall.id, slot);
      const pricing = pricingOf(yuanToCents(dto.price), dto.zonePrices, dto.ticketTypes);
      assertPricingFits(lockedHall, pricing);
      const id = await this.schedules.insert(manager, {
        movieId: movie.id,
        hallId: lockedHall.id,
        cinemaId: lockedHall.cinemaId,
        ...slot,
        ...pricing,
        seatCount: lockedHall.seatCount,
      });
      return this.viewOf(manager, id);
    });
  }

  async update(user: AuthUser, id: number, dto: UpdateScheduleDto): Promise<ShowtimeDto> {
    const current = await this.requireSchedule(id);
    await this.access.requireManageable(user, current.cinemaId);
    const moving = dto.startsAt !== undefined || dto.hallId !== undefined;
    return this.runner.run(async (manager) => {
      const repricing = dto.price !== undefined || dto.zonePrices !== undefined || dto.ticketTypes !== undefined;
      // Hall before showtime, the order scheduling locks them in (prices are checked against the hall's zones).
      const hall =
        moving || repricing ? await this.lockTargetHall(manager, dto.hallId ?? current.hallId, current) : null;
      const schedule = await this.schedules.lockById(manager, id);
      if (!schedule) throw new AppException(ResultCode.NotFound, 'showtime not found');
      const changes: ScheduleChanges = {};
      if (dto.price !== undefined) changes.priceCents = yuanToCents(dto.price);
      const startsAt = dto.startsAt !== undefined ? new Date(dto.startsAt) : schedule.startsAt;
      if (moving && hall && (hall.id !== schedule.hallId || startsAt.getTime() !== schedule.startsAt.getTime())) {
        await this.assertNoSales(manager, schedule, 'moved to another time or hall');
        const movie = await this.movies.requireMovie(schedule.movieId, manager);
        const slot = this.placeSlot(movie, startsAt);
        await this.assertHallFree(manager, hall.id, slot, schedule.id);
        Object.assign(changes, slot, { hallId: hall.id, seatCount: hall.seatCount });
      }
      if ((repricing || moving) && hall) {
        const pricing = pricingOf(changes.priceCents ?? schedule.priceCents, dto.zonePrices, dto.ticketTypes, schedule);
        // Prices fit the hall the showtime will be in; later holds take them.
        assertPricingFits(hall, pricing);
        Object.assign(changes, pricing);
      }
      if (Object.keys(changes).length > 0) await this.schedules.update(manager, id, changes);
      return this.viewOf(manager, id);
    });
  }

  async remove(user: AuthUser, id: number): Promise<void> {
    const current = await this.requireSchedule(id);
    await this.access.requireManageable(user, current.cinemaId);
    await this.runner.run(async (manager) => {
      const schedule = await this.schedules.lockById(manager, id);
      if (!schedule) throw new AppException(ResultCode.NotFound, 'showtime not found');
      await this.assertNoSales(manager, schedule, 'deleted');
      await this.schedules.delete(manager, id);
    });
  }

  /** Showtimes planned elsewhere, inserted as given in the caller's transaction: for seeding an empty database. */
  addPlanned(manager: EntityManager, showtimes: NewSchedule[]): Promise<void> {
    return this.schedules.insertMany(manager, showtimes);
  }

  /** The slot a movie takes from `startsAt`, on a day it is showing and not in the past. */
  private placeSlot(movie: MovieRun, startsAt: Date): PlacedSlot {
    if (startsAt.getTime() < Date.now()) {
      throw new AppException(ResultCode.ShowtimeInPast, 'showtime starts in the past');
    }
    const showDate = localDay(startsAt, this.config.get('APP_TIMEZONE', { infer: true }));
    if (showDate < movie.releaseDate) {
      throw invalid('startsAt', `the movie is released on ${movie.releaseDate}, after ${showDate}`);
    }
    if (movie.offDate !== null && showDate > movie.offDate) {
      throw invalid('startsAt', `the movie is off after ${movie.offDate}, before ${showDate}`);
    }
    return { startsAt, endsAt: new Date(startsAt.getTime() + movie.durationMinutes * 60_000), showDate };
  }

  private async assertHallFree(manager: EntityManager, hallId: number, slot: ShowtimeSlot, exceptId?: number) {
    const cleaning = this.config.get('CLEANING_MINUTES', { infer: true });
    const clash = await this.schedules.findClash(manager, hallId, clashBounds(slot, cleaning), exceptId);
    if (clash) {
      const until = hallFreeAt(clash, cleaning).toISOString();
      throw new AppException(
        ResultCode.ShowtimeOverlap,
        `overlaps showtime ${clash.id} (${clash.startsAt.toISOString()} until ${until} with ${cleaning} min cleaning)`,
      );
    }
  }

  /** Sold seats, and holds that may still be paid, tie a showtime to its time, hall and existence. */
  private async assertNoSales(manager: EntityManager, schedule: Schedule, change: string): Promise<void> {
    if (schedule.soldCount > 0 || (await this.claims.anyLive(manager, schedule.id, new Date()))) {
      throw new AppException(ResultCode.StillInUse, `tickets are sold or held: the showtime cannot be ${change}`);
    }
  }

  private async lockTargetHall(manager: EntityManager, hallId: number, schedule: Schedule): Promise<HallSeating> {
    const hall = await this.halls.lockActive(manager, hallId);
    if (!hall) throw new AppException(ResultCode.NotFound, 'hall not found');
    if (hall.cinemaId !== schedule.cinemaId) throw invalid('hallId', 'the hall belongs to another cinema');
    return hall;
  }

  private async requireSchedule(id: number): Promise<Schedule> {
    const schedule = await this.schedules.findById(id);
    if (!schedule) throw new AppException(ResultCode.NotFound, 'showtime not found');
    return schedule;
  }

  private async viewOf(manager: EntityManager, id: number): Promise<ShowtimeDto> {
    const view = await this.views.findView(id, manager);
    if (!view) throw new AppException(ResultCode.NotFound, 'showtime not found');
    return toShowtimeDto(view);
  }
}
