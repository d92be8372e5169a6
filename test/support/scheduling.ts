import { Cinema } from '../../src/catalog/entities/cinema.entity';
import { Movie } from '../../src/catalog/entities/movie.entity';
import { localDay } from '../../src/common/time';
import { Hall } from '../../src/halls/entities/hall.entity';
import { Schedule } from '../../src/schedules/entities/schedule.entity';
import { Order } from '../../src/ticketing/entities/order.entity';
import { SeatClaim } from '../../src/ticketing/entities/seat-claim.entity';
import { givenCinema, givenUser, GivenUser } from './factories';
import { TestApp } from './test-app';

/** `2031-03-10 14:00` in Shanghai time, as clients send it. */
export const shanghai = (local: string) => `${local.replace(' ', 'T')}:00+08:00`;

export interface OwnedCinema {
  merchant: GivenUser;
  cinema: Cinema;
}

export async function givenOwnedCinema(t: TestApp, fields: Partial<Cinema> = {}): Promise<OwnedCinema> {
  const merchant = await givenUser(t, 'merchant');
  const cinema = await givenCinema(t, { ownerId: merchant.user.id, ...fields });
  return { merchant, cinema };
}

/** A showtime row written directly, for states the API refuses to create (in the past, already sold). */
export async function insertShowtime(
  t: TestApp,
  hall: Hall,
  movie: Movie,
  startsAt: Date,
  fields: Partial<Schedule> = {},
): Promise<Schedule> {
  return t.db.getRepository(Schedule).save({
    movieId: movie.id,
    hallId: hall.id,
    cinemaId: hall.cinemaId,
    startsAt,
    endsAt: new Date(startsAt.getTime() + movie.durationMinutes * 60_000),
    showDate: localDay(startsAt, 'Asia/Shanghai'),
    priceCents: 4000,
    seatCount: hall.seatCount,
    soldCount: 0,
    ...fields,
  });
}

/**
 * A seat claim as ticketing leaves it: sold (no expiry, paid order) or held until `heldUntil`
 * (pending order). Sold seats also count in the showtime's sold counter.
 */
export async function claimSeat(
  t: TestApp,
  schedule: Schedule,
  seat: { row: number; col: number },
  heldUntil: Date | null = null,
): Promise<void> {
  const buyer = await givenUser(t, 'customer');
  const order = await t.db.getRepository(Order).save({
    userId: buyer.user.id,
    scheduleId: schedule.id,
    status: heldUntil ? ('pending' as const) : ('paid' as const),
    seats: [seat],
    unitPriceCents: schedule.priceCents,
    amountCents: schedule.priceCents,
    expiresAt: heldUntil ?? new Date(Date.now() + 60_000),
    paidAt: heldUntil ? null : new Date(),
  });
  await t.db.getRepository(SeatClaim).save({
    scheduleId: schedule.id,
    seatRow: seat.row,
    seatCol: seat.col,
    orderId: order.id,
    userId: buyer.user.id,
    expiresAt: heldUntil,
  });
  if (!heldUntil) {
    await t.db.getRepository(Schedule).increment({ id: schedule.id }, 'soldCount', 1);
  }
}
