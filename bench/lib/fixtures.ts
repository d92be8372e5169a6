import { randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import type { Sql } from './db';
import { inParallel, JsonClient } from './http';
import type { ShowtimeSpec } from './seat-pool';
import { rng, utcString } from './util';

/** Demo-sized: one cinema, one 20 × 30 hall, 30 showtimes from tomorrow on. */
export const HALL = { rows: 20, cols: 30 };
export const SHOWTIMES = 30;
const MOVIE_MINUTES = 120;
/** Movie plus the default cleaning gap, rounded up: consecutive showtimes never overlap. */
const SLOT_MINUTES = 150;

export interface Catalog {
  cinemaId: number;
  showtimes: ShowtimeSpec[];
  /** Enough uses for every order of a rush: a third of the rush's holds carry it. */
  voucherCode: string;
}

/** The middle rows are a VIP zone with its own price, as a real hall's best rows are. */
const VIP_ROWS = [8, 9, 10, 11, 12];

export interface BenchUser {
  id: number;
  name: string;
  token: string;
}

/**
 * Users straight into the table (the API would need a verification code per sign-up), all with
 * the same argon2id hash of the bench password; returns them in the order of `names`.
 */
export async function insertUsers(sql: Sql, names: string[], role: string, passwordHash: string): Promise<number[]> {
  const now = utcString(new Date());
  for (let at = 0; at < names.length; at += 400) {
    const chunk = names.slice(at, at + 400);
    const values = chunk.map(() => `(?, ?, ?, 'unknown', ?, 0, 0, ?)`).join(', ');
    const params = chunk.flatMap((name) => [name, name.toLowerCase(), passwordHash, role, now]);
    await sql.run(
      `INSERT INTO users (name, name_key, password_hash, gender, role, disabled, token_version, created_at) VALUES ${values}`,
      params,
    );
  }
  const ids = new Map<string, number>();
  for (let at = 0; at < names.length; at += 500) {
    const chunk = names.slice(at, at + 500);
    const rows = await sql.all<{ id: number; name: string }>(
      `SELECT id, name FROM users WHERE name IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const row of rows) ids.set(row.name, Number(row.id));
  }
  return names.map((name) => {
    const id = ids.get(name);
    if (id === undefined) throw new Error(`user ${name} was not inserted`);
    return id;
  });
}

/** A session token exactly as TokenService issues it (same claims, HS256, the server's JWT_SECRET). */
export function mintToken(secret: string, id: number, role: string): string {
  return sign({ sub: id, role, ver: 0, jti: randomUUID() }, secret, { algorithm: 'HS256', expiresIn: 4 * 3600 });
}

/** The catalog through the API, as an admin would create it. */
export async function loadCatalog(http: JsonClient, adminToken: string): Promise<Catalog> {
  const tag = Date.now().toString(36);
  const cinema = await http.expect<{ id: number }>(
    'POST',
    '/cinemas',
    { name: `Bench Cinema ${tag}`, city: 'Shanghai', address: '1 Bench Road' },
    adminToken,
  );
  const movie = await http.expect<{ id: number }>(
    'POST',
    '/movies',
    {
      title: `Bench Movie ${tag}`,
      director: 'Bench Director',
      actors: ['Actor A', 'Actor B'],
      durationMinutes: MOVIE_MINUTES,
      posterUrl: 'https://example.com/poster.jpg',
      description: 'A movie for the benchmark',
      releaseDate: '2020-01-01',
      genres: ['drama'],
    },
    adminToken,
  );
  const hall = await http.expect<{ id: number }>(
    'POST',
    '/halls',
    {
      cinemaId: cinema.id,
      name: `Hall ${tag}`,
      rows: HALL.rows,
      cols: HALL.cols,
      disabledSeats: [],
      zones: [
        {
          name: 'VIP',
          seats: VIP_ROWS.flatMap((row) => Array.from({ length: HALL.cols }, (_, c) => ({ row, col: c + 1 }))),
        },
      ],
    },
    adminToken,
  );
  const voucher = await http.expect<{ code: string }>(
    'POST',
    '/vouchers',
    { kind: 'amount', value: 5, maxUses: 1_000_000, perUserMaxUses: 1_000_000 },
    adminToken,
  );
  const first = new Date(Date.now() + 24 * 3600_000);
  first.setUTCMinutes(0, 0, 0);
  const showtimes: ShowtimeSpec[] = [];
  for (let i = 0; i < SHOWTIMES; i++) {
    const startsAt = new Date(first.getTime() + i * SLOT_MINUTES * 60_000).toISOString();
    const schedule = await http.expect<{ id: number }>(
      'POST',
      '/schedules',
      { movieId: movie.id, hallId: hall.id, startsAt, price: 45.5, zonePrices: { VIP: 68 } },
      adminToken,
    );
    showtimes.push({ id: schedule.id, ...HALL });
  }
  return { cinemaId: cinema.id, showtimes, voucherCode: voucher.code };
}

/**
 * Half the seats of the showtime sold through the API (6 per user), and a few more held: the seat
 * map then carries every status a real one does.
 */
export async function sellHalf(
  http: JsonClient,
  showtime: ShowtimeSpec,
  buyers: BenchUser[],
  holders: BenchUser[],
): Promise<{ sold: number; held: number }> {
  const total = showtime.rows * showtime.cols;
  const random = rng(7);
  const order = Array.from({ length: total }, (_, i) => i);
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const seatsOf = (k: number) =>
    order
      .slice(k * 6, k * 6 + 6)
      .map((i) => ({ row: Math.floor(i / showtime.cols) + 1, col: (i % showtime.cols) + 1 }));
  let sold = 0;
  let held = 0;
  await inParallel(buyers, 8, async (user, k) => {
    const seats = seatsOf(k);
    const created = await http.expect<{ id: number }>(
      'POST',
      '/orders',
      { scheduleId: showtime.id, seats },
      user.token,
    );
    await http.expect('POST', `/orders/${created.id}/pay`, { channel: 'mock' }, user.token);
    sold += seats.length;
  });
  await inParallel(holders, 8, async (user, k) => {
    const seats = seatsOf(buyers.length + k);
    await http.expect('POST', '/orders', { scheduleId: showtime.id, seats }, user.token);
    held += seats.length;
  });
  return { sold, held };
}
