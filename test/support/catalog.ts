import { Movie } from '../../src/catalog/entities/movie.entity';
import { localDay } from '../../src/common/time';
import { Hall } from '../../src/halls/entities/hall.entity';
import { Schedule } from '../../src/schedules/entities/schedule.entity';
import { TestApp } from './test-app';

const MINUTE = 60_000;

/** A showtime row written straight into the table, `startsInMinutes` from now (negative: in the past). */
export async function givenShowtimeOf(
  t: TestApp,
  hall: Hall,
  movie: Movie,
  startsInMinutes: number,
  fields: Partial<Schedule> = {},
): Promise<Schedule> {
  const startsAt = new Date(Date.now() + startsInMinutes * MINUTE);
  startsAt.setUTCMilliseconds(0);
  return t.db.getRepository(Schedule).save({
    movieId: movie.id,
    hallId: hall.id,
    cinemaId: hall.cinemaId,
    startsAt,
    endsAt: new Date(startsAt.getTime() + movie.durationMinutes * MINUTE),
    showDate: localDay(startsAt, process.env.APP_TIMEZONE ?? 'Asia/Shanghai'),
    priceCents: 4500,
    seatCount: hall.seatCount,
    soldCount: 0,
    ...fields,
  });
}

/** A valid merchant application body with unique names. */
export function applicationBody(suffix: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cinemaName: `申请影城 ${suffix}`,
    city: 'Hangzhou',
    address: `西湖区文三路 ${suffix} 号`,
    legalPerson: '张三',
    contactName: '李四',
    contactPhone: '0571-8888 6666',
    ...fields,
  };
}

/** A valid movie body with a unique title. */
export function movieBody(title: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title,
    director: 'Jane Doe',
    actors: ['Actor One', 'Actor Two'],
    durationMinutes: 120,
    posterUrl: 'https://example.com/poster.jpg',
    description: 'A film.',
    releaseDate: '2026-01-15',
    ...fields,
  };
}
