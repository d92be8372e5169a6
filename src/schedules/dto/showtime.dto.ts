import { ApiProperty } from '@nestjs/swagger';
import { centsToYuan } from '../../common/time';
import type { Schedule } from '../entities/schedule.entity';

export class TicketTypeDto {
  name!: string;
  /** yuan off a seat's zone price */
  discount!: number;
}

export class ShowtimeDto {
  id!: number;
  movieId!: number;
  movieTitle!: string;
  hallId!: number;
  hallName!: string;
  cinemaId!: number;
  cinemaName!: string;
  /** UTC, e.g. 2026-12-01T11:30:00.000Z */
  startsAt!: string;
  /** `startsAt` plus the movie's duration */
  endsAt!: string;
  /** yuan per ticket for new orders */
  price!: number;
  /** seats on sale in the hall */
  seatCount!: number;
  /** seats of paid orders */
  soldCount!: number;
  /** yuan per named zone of the hall that has its own price (`{}` when none) */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { VIP: 80 } })
  zonePrices!: Record<string, number>;
  /** ticket types and their discount in yuan off a seat's zone price (`[]` when none) */
  @ApiProperty({ type: [TicketTypeDto] })
  ticketTypes!: TicketTypeDto[];
}

export function zonePricesDto(zonePrices: Record<string, number> | null): Record<string, number> {
  return Object.fromEntries(Object.entries(zonePrices ?? {}).map(([zone, cents]) => [zone, centsToYuan(cents)]));
}

export function ticketTypesDto(types: { name: string; discountCents: number }[] | null): TicketTypeDto[] {
  return (types ?? []).map((type) => ({ name: type.name, discount: centsToYuan(type.discountCents) }));
}

/** A schedule read with its movie, hall and cinema joined (see ScheduleViewsRepository). */
export type ScheduleView = Schedule & Required<Pick<Schedule, 'movie' | 'hall' | 'cinema'>>;

/** A deleted hall keeps its old showtimes under a suffixed name (`<name>~<id>`); they show the name they ran under. */
function hallNameOf(view: ScheduleView): string {
  const suffix = `~${view.hallId}`;
  return view.hall.deletedAt && view.hall.name.endsWith(suffix)
    ? view.hall.name.slice(0, -suffix.length)
    : view.hall.name;
}

export function toShowtimeDto(view: ScheduleView): ShowtimeDto {
  return {
    id: view.id,
    movieId: view.movieId,
    movieTitle: view.movie.title,
    hallId: view.hallId,
    hallName: hallNameOf(view),
    cinemaId: view.cinemaId,
    cinemaName: view.cinema.name,
    startsAt: view.startsAt.toISOString(),
    endsAt: view.endsAt.toISOString(),
    price: centsToYuan(view.priceCents),
    seatCount: view.seatCount,
    soldCount: view.soldCount,
    zonePrices: zonePricesDto(view.zonePrices),
    ticketTypes: ticketTypesDto(view.ticketTypes),
  };
}
