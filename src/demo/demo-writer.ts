import { EntityManager } from 'typeorm';
import { Cinema } from '../catalog/entities/cinema.entity';
import { Movie } from '../catalog/entities/movie.entity';
import { addDays, localDay } from '../common/time';
import { Hall } from '../halls/entities/hall.entity';
import { Schedule } from '../schedules/entities/schedule.entity';
import { DEMO_CINEMAS, DEMO_HALLS, DEMO_MOVIES } from './demo-catalog';
import { planShowtimes } from './demo-plan';

const SHOWTIME_DAYS = 7;
const INSERT_CHUNK = 100;

interface WriteOptions {
  timeZone: string;
  cleaningMinutes: number;
}

/** Cinemas, halls, movies and a week of showtimes from tomorrow, in the caller's transaction. */
export async function writeDemoCatalog(manager: EntityManager, ownerId: number, options: WriteOptions) {
  const { timeZone } = options;
  const today = localDay(new Date(), timeZone);
  const cinemas = await manager.save(
    Cinema,
    DEMO_CINEMAS.map((c, i) => ({
      ...c,
      ownerId,
      status: 'active' as const,
      logoUrl: null,
      website: null,
      contactPhone: c.tel,
      paymentAccount: `DEMO-SETTLEMENT-${String(i + 1).padStart(4, '0')}`,
    })),
  );
  const halls = await manager.save(
    Hall,
    cinemas.flatMap((cinema) =>
      DEMO_HALLS.map((h) => ({
        ...h,
        cinemaId: cinema.id,
        seatCount: h.rows * h.cols - h.disabledSeats.length,
        deletedAt: null,
      })),
    ),
  );
  const movies = await manager.save(
    Movie,
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
  for (let i = 0; i < showtimes.length; i += INSERT_CHUNK) {
    await manager.insert(Schedule, showtimes.slice(i, i + INSERT_CHUNK));
  }
  return { cinemas: cinemas.length, halls: halls.length, movies: movies.length, showtimes: showtimes.length };
}
