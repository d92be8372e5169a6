import { randomInt } from 'node:crypto';
import { Movie } from '../../src/catalog/entities/movie.entity';
import { localDay } from '../../src/common/time';
import { Hall, SeatPosition } from '../../src/halls/entities/hall.entity';
import { Schedule } from '../../src/schedules/entities/schedule.entity';
import { Order, OrderStatus } from '../../src/ticketing/entities/order.entity';
import { SeatClaim } from '../../src/ticketing/entities/seat-claim.entity';
import { givenHall, givenMovie, givenShowtime, givenUser, GivenShowtime, GivenUser } from './factories';
import { TestApp } from './test-app';

const TIME_ZONE = process.env.APP_TIMEZONE ?? 'Asia/Shanghai';

/** A year of its own for a test file, far in the future, so that day ranges see only that file's showtimes. */
export function reportYear(): number {
  return 2200 + randomInt(700);
}

/** Moves a schedule to a start given with an offset, keeping its stored local day in step, as scheduling does. */
async function placeAt(t: TestApp, schedule: Schedule, startsAt: string, durationMinutes: number): Promise<Schedule> {
  const start = new Date(startsAt);
  schedule.startsAt = start;
  schedule.endsAt = new Date(start.getTime() + durationMinutes * 60_000);
  schedule.showDate = localDay(start, TIME_ZONE);
  return t.db.getRepository(Schedule).save(schedule);
}

/** A merchant-owned cinema with one showtime at `startsAt` (e.g. `2300-03-10T23:30:00+08:00`). */
export async function givenShowtimeAt(
  t: TestApp,
  startsAt: string,
  options: { priceCents?: number; movie?: Partial<Movie>; hall?: Partial<Hall> } = {},
): Promise<GivenShowtime> {
  const given = await givenShowtime(t, options);
  const schedule = await placeAt(t, given.schedule, startsAt, given.movie.durationMinutes);
  return { ...given, schedule };
}

/** Another showtime in a cinema that already exists: of a given or a new movie, in a given or a new hall. */
export async function addShowtime(
  t: TestApp,
  cinemaId: number,
  startsAt: string,
  options: { movie?: Movie; hall?: Hall; priceCents?: number; seatCount?: number } = {},
): Promise<{ schedule: Schedule; movie: Movie; hall: Hall }> {
  const movie = options.movie ?? (await givenMovie(t));
  const hall = options.hall ?? (await givenHall(t, cinemaId));
  const schedule = t.db.getRepository(Schedule).create({
    movieId: movie.id,
    hallId: hall.id,
    cinemaId,
    priceCents: options.priceCents ?? 4550,
    seatCount: options.seatCount ?? hall.seatCount,
    soldCount: 0,
  });
  return { schedule: await placeAt(t, schedule, startsAt, movie.durationMinutes), movie, hall };
}

const nextSeat = new Map<number, number>();

/** Distinct seats of a showtime, row by row, never handed out twice within a test file. */
function takeSeats(schedule: Schedule, count: number, cols = 8): SeatPosition[] {
  const first = nextSeat.get(schedule.id) ?? 0;
  nextSeat.set(schedule.id, first + count);
  return Array.from({ length: count }, (_, i) => ({
    row: Math.floor((first + i) / cols) + 1,
    col: ((first + i) % cols) + 1,
  }));
}

let buyer: Promise<GivenUser> | undefined;

/**
 * An order as ticketing leaves it in the database: paid orders keep one permanent claim per seat
 * (`expiresAt` NULL), pending ones a lapsing claim, refunded and cancelled ones none.
 */
export async function givenOrder(
  t: TestApp,
  schedule: Schedule,
  spec: { status: OrderStatus; seats: number; unitPriceCents?: number },
): Promise<Order> {
  buyer ??= givenUser(t, 'customer');
  const { user } = await buyer;
  const unitPriceCents = spec.unitPriceCents ?? schedule.priceCents;
  const seats = takeSeats(schedule, spec.seats);
  const createdAt = new Date(schedule.startsAt.getTime() - 86_400_000);
  const expiresAt = new Date(createdAt.getTime() + 900_000);
  const wasPaid = spec.status === 'paid' || spec.status === 'refunded';
  const order = await t.db.getRepository(Order).save({
    userId: user.id,
    scheduleId: schedule.id,
    status: spec.status,
    seats,
    unitPriceCents,
    amountCents: unitPriceCents * seats.length,
    expiresAt,
    paidAt: wasPaid ? new Date(createdAt.getTime() + 60_000) : null,
    paymentChannel: wasPaid ? 'mock' : null,
    ticketCode: wasPaid ? `${randomInt(1e7, 1e8)}${randomInt(1e7, 1e8)}` : null,
    checkedInAt: null,
    closedAt: spec.status === 'paid' || spec.status === 'pending' ? null : new Date(createdAt.getTime() + 120_000),
  });
  if (spec.status === 'paid' || spec.status === 'pending') {
    await t.db.getRepository(SeatClaim).save(
      seats.map((seat) => ({
        scheduleId: schedule.id,
        seatRow: seat.row,
        seatCol: seat.col,
        orderId: order.id,
        userId: user.id,
        expiresAt: spec.status === 'paid' ? null : expiresAt,
      })),
    );
  }
  return order;
}
