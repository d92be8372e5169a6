import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CinemasService } from '../catalog/cinemas.service';
import { MoviesService } from '../catalog/movies.service';
import { addDays, localDay } from '../common/time';
import { HallsService } from '../halls/halls.service';
import { SchedulesService } from '../schedules/schedules.service';
import { VouchersService } from '../vouchers/vouchers.service';
import { DEMO_CINEMAS, DEMO_HALLS, DEMO_MOVIES, DEMO_VOUCHER } from './demo-catalog';
import { planShowtimes } from './demo-plan';

const SHOWTIME_DAYS = 7;

interface WriteOptions {
  timeZone: string;
  cleaningMinutes: number;
}

/** Cinemas, halls, movies and a week of showtimes from tomorrow, each through the module that owns it. */
@Injectable()
export class DemoCatalogWriter {
  constructor(
    private readonly cinemas: CinemasService,
    private readonly halls: HallsService,
    private readonly movies: MoviesService,
    private readonly schedules: SchedulesService,
    private readonly vouchers: VouchersService,
  ) {}

  /** In the caller's transaction: the seeding commits whole or not at all. */
  async write(manager: EntityManager, ownerId: number, options: WriteOptions) {
    const { timeZone } = options;
    const today = localDay(new Date(), timeZone);
    const cinemas = [];
    for (const [i, cinema] of DEMO_CINEMAS.entries()) {
      const paymentAccount = `DEMO-SETTLEMENT-${String(i + 1).padStart(4, '0')}`;
      cinemas.push(
        await this.cinemas.createOwned(manager, { ...cinema, ownerId, contactPhone: cinema.tel, paymentAccount }),
      );
    }
    const halls = await this.halls.createMany(
      manager,
      cinemas.flatMap((cinema) => DEMO_HALLS.map((hall) => ({ ...hall, cinemaId: cinema.id }))),
    );
    const movies = await this.movies.createMany(
      manager,
      DEMO_MOVIES.map((m, i) => ({
        title: m.title,
        director: m.director,
        actors: m.actors,
        durationMinutes: m.durationMinutes,
        posterUrl: `https://picsum.photos/seed/ttms-movie-${i + 1}/400/600`,
        description: m.description,
        releaseDate: addDays(today, m.releaseInDays),
        offDate: m.offInDays === null ? null : addDays(today, m.offInDays),
        genres: m.genres,
      })),
    );
    const showtimes = planShowtimes(halls, movies, {
      firstDay: addDays(today, 1),
      days: SHOWTIME_DAYS,
      timeZone,
      cleaningMinutes: options.cleaningMinutes,
    });
    await this.schedules.addPlanned(manager, showtimes);
    await this.vouchers.addPlanned(manager, {
      code: DEMO_VOUCHER.code,
      cinemaId: null,
      movieId: null,
      kind: DEMO_VOUCHER.kind,
      value: DEMO_VOUCHER.valueCents,
      maxUses: DEMO_VOUCHER.maxUses,
      perUserMaxUses: 1,
      minSeats: 1,
      validFrom: null,
      validTo: null,
      active: true,
    });
    return {
      cinemas: cinemas.length,
      halls: halls.length,
      movies: movies.length,
      showtimes: showtimes.length,
      voucher: DEMO_VOUCHER.code,
    };
  }
}
