import { movieStatusOn } from '../catalog/movie-status';
import { addDays, localDay, startOfLocalDay } from '../common/time';
import type { HallZone } from '../halls/hall-layout';
import { DEMO_PRICES_CENTS, DEMO_STUDENT_DISCOUNT_CENTS, DEMO_VIP_SURCHARGE_CENTS } from './demo-catalog';

const MINUTE = 60_000;
const FIRST_SHOW_MINUTES = 10 * 60;
const LAST_SHOW_MINUTES = 22 * 60 + 30;
/** Starts land on round times, as cinemas print them. */
const START_STEP_MINUTES = 5;

export interface PlannedHall {
  id: number;
  cinemaId: number;
  seatCount: number;
  zones?: HallZone[] | null;
}

export interface PlannedMovie {
  id: number;
  durationMinutes: number;
  releaseDate: string;
  offDate: string | null;
}

export interface PlannedShowtime {
  movieId: number;
  hallId: number;
  cinemaId: number;
  startsAt: Date;
  endsAt: Date;
  showDate: string;
  priceCents: number;
  zonePrices: Record<string, number>;
  ticketTypes: { name: string; discountCents: number }[];
  seatCount: number;
  soldCount: number;
}

export interface PlanOptions {
  firstDay: string;
  days: number;
  timeZone: string;
  cleaningMinutes: number;
}

/**
 * Back-to-back showtimes from 10:00 to a last start at 22:30 local time in every hall, each one
 * starting after the previous one's end plus the cleaning gap, of movies showing on that day.
 */
export function planShowtimes(halls: PlannedHall[], movies: PlannedMovie[], options: PlanOptions): PlannedShowtime[] {
  const plan: PlannedShowtime[] = [];
  // Each cinema prices from its own rung of the ladder, so that their begin prices differ.
  const tiers = new Map<number, number>();
  for (const hall of halls) if (!tiers.has(hall.cinemaId)) tiers.set(hall.cinemaId, tiers.size);
  for (let d = 0; d < options.days; d++) {
    const day = addDays(options.firstDay, d);
    const showing = movies.filter((m) => movieStatusOn(m, day) === 'showing');
    if (!showing.length) continue;
    const midnight = startOfLocalDay(day, options.timeZone).getTime();
    halls.forEach((hall, h) => {
      let turn = h * 3 + d;
      let start = midnight + FIRST_SHOW_MINUTES * MINUTE;
      while (start <= midnight + LAST_SHOW_MINUTES * MINUTE) {
        const movie = showing[turn % showing.length];
        const startsAt = new Date(start);
        const endsAt = new Date(start + movie.durationMinutes * MINUTE);
        plan.push({
          movieId: movie.id,
          hallId: hall.id,
          cinemaId: hall.cinemaId,
          startsAt,
          endsAt,
          showDate: localDay(startsAt, options.timeZone),
          ...pricing(
            hall,
            DEMO_PRICES_CENTS[((tiers.get(hall.cinemaId) ?? 0) + (turn % 4)) % DEMO_PRICES_CENTS.length],
            turn,
          ),
          seatCount: hall.seatCount,
          soldCount: 0,
        });
        const free = endsAt.getTime() + options.cleaningMinutes * MINUTE;
        start = Math.ceil(free / (START_STEP_MINUTES * MINUTE)) * START_STEP_MINUTES * MINUTE;
        turn++;
      }
    });
  }
  return plan;
}

/** VIP seats cost more where the hall has them; every other showtime sells student tickets. */
function pricing(hall: PlannedHall, priceCents: number, turn: number) {
  const zonePrices: Record<string, number> = Object.fromEntries(
    (hall.zones ?? []).map((zone) => [zone.name, priceCents + DEMO_VIP_SURCHARGE_CENTS]),
  );
  const ticketTypes = turn % 2 === 0 ? [{ name: 'student', discountCents: DEMO_STUDENT_DISCOUNT_CENTS }] : [];
  return { priceCents, zonePrices, ticketTypes };
}
