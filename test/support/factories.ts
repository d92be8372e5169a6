import { PasswordService } from '../../src/auth/password.service';
import { TokenService } from '../../src/auth/token.service';
import { Cinema } from '../../src/catalog/entities/cinema.entity';
import { Movie } from '../../src/catalog/entities/movie.entity';
import type { Role } from '../../src/common/decorators/auth.decorators';
import { localDay } from '../../src/common/time';
import { Hall, SeatPosition } from '../../src/halls/entities/hall.entity';
import { Schedule } from '../../src/schedules/entities/schedule.entity';
import { User } from '../../src/users/entities/user.entity';
import { TestApp, unique } from './test-app';

export const DEFAULT_PASSWORD = 'Passw0rd!';

export interface GivenUser {
  user: User;
  token: string;
  /** Ready to spread into `.set(...)`. */
  auth: { Authorization: string };
  password: string;
}

/** A user straight in the database, with a valid session token: for tests that are not about sign-up. */
export async function givenUser(t: TestApp, role: Role = 'customer', fields: Partial<User> = {}): Promise<GivenUser> {
  const passwords = t.app.get(PasswordService);
  const name = fields.name ?? unique('u_');
  const user = await t.db.getRepository(User).save({
    name,
    nameKey: name.toLowerCase(),
    phone: null,
    email: null,
    nickname: null,
    gender: 'unknown' as const,
    role,
    avatarUrl: null,
    disabled: false,
    tokenVersion: 0,
    passwordHash: await passwords.hash(DEFAULT_PASSWORD),
    ...fields,
  });
  const { token } = await t.app.get(TokenService).issueSession(user);
  return { user, token, auth: { Authorization: `Bearer ${token}` }, password: DEFAULT_PASSWORD };
}

export async function givenCinema(t: TestApp, fields: Partial<Cinema> = {}): Promise<Cinema> {
  return t.db.getRepository(Cinema).save({
    name: unique('Cinema '),
    city: 'Shanghai',
    address: '1 Test Road',
    ownerId: null,
    status: 'active' as const,
    ...fields,
  });
}

export async function givenMovie(t: TestApp, fields: Partial<Movie> = {}): Promise<Movie> {
  return t.db.getRepository(Movie).save({
    title: unique('Movie '),
    director: 'Test Director',
    actors: ['Actor A', 'Actor B'],
    durationMinutes: 120,
    posterUrl: 'https://example.com/poster.jpg',
    description: 'A test movie',
    releaseDate: '2020-01-01',
    offDate: null,
    genres: ['drama'],
    ...fields,
  });
}

export function seatCountOf(rows: number, cols: number, disabled: SeatPosition[]): number {
  return rows * cols - disabled.length;
}

export async function givenHall(t: TestApp, cinemaId: number, fields: Partial<Hall> = {}): Promise<Hall> {
  const rows = fields.rows ?? 5;
  const cols = fields.cols ?? 8;
  const disabledSeats = fields.disabledSeats ?? [];
  return t.db.getRepository(Hall).save({
    cinemaId,
    name: unique('Hall '),
    rows,
    cols,
    disabledSeats,
    seatCount: seatCountOf(rows, cols, disabledSeats),
    description: null,
    deletedAt: null,
    ...fields,
  });
}

export interface GivenShowtime {
  schedule: Schedule;
  hall: Hall;
  cinema: Cinema;
  movie: Movie;
  merchant: GivenUser;
}

/**
 * A showtime with its own merchant-owned cinema, hall and movie, starting `startsInMinutes` from now
 * (default: tomorrow), so that a test owns everything it touches.
 */
export async function givenShowtime(
  t: TestApp,
  options: { startsInMinutes?: number; priceCents?: number; hall?: Partial<Hall>; movie?: Partial<Movie> } = {},
): Promise<GivenShowtime> {
  const merchant = await givenUser(t, 'merchant');
  const cinema = await givenCinema(t, { ownerId: merchant.user.id });
  const hall = await givenHall(t, cinema.id, options.hall);
  const movie = await givenMovie(t, options.movie);
  const startsAt = new Date(Date.now() + (options.startsInMinutes ?? 24 * 60) * 60_000);
  startsAt.setUTCMilliseconds(0);
  const schedule = await t.db.getRepository(Schedule).save({
    movieId: movie.id,
    hallId: hall.id,
    cinemaId: cinema.id,
    startsAt,
    endsAt: new Date(startsAt.getTime() + movie.durationMinutes * 60_000),
    showDate: localDay(startsAt, process.env.APP_TIMEZONE ?? 'Asia/Shanghai'),
    priceCents: options.priceCents ?? 4550,
    seatCount: hall.seatCount,
    soldCount: 0,
  });
  return { schedule, hall, cinema, movie, merchant };
}
