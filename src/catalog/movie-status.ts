import type { Movie } from './entities/movie.entity';

export const MOVIE_STATUSES = ['showing', 'upcoming', 'off'] as const;
export type MovieStatus = (typeof MOVIE_STATUSES)[number];

/**
 * CONTRACT section 4: `upcoming` before the release day, `showing` from it through `offDate` (the
 * last day on screen, inclusive), `off` after. Days are `YYYY-MM-DD` in APP_TIMEZONE, so plain
 * string comparison orders them; the movies repository filters with the same comparisons in SQL.
 */
export function movieStatusOn(movie: Pick<Movie, 'releaseDate' | 'offDate'>, day: string): MovieStatus {
  if (day < movie.releaseDate) return 'upcoming';
  if (movie.offDate !== null && day > movie.offDate) return 'off';
  return 'showing';
}
