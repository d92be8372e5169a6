import { EntityManager } from 'typeorm';

/**
 * What the catalog asks about showtimes: a movie's sales and coming shows, the cinemas showing a
 * movie and their lowest prices. Schedules owns the showtimes and sits above catalog, so catalog
 * states the question here and injects only this; schedules provides the answer
 * (ShowtimeAnswersModule).
 */
export abstract class CatalogShowtimes {
  /**
   * Whether any showtime of the movie has sold seats. Locks them (MySQL) until the caller's
   * transaction ends, so that a payment cannot add a sale between this check and the change.
   */
  abstract hasSoldShowtimes(manager: EntityManager, movieId: number): Promise<boolean>;

  /** Whether showtimes of the movie start after `now`. */
  abstract hasShowtimesFrom(manager: EntityManager, movieId: number, now: Date): Promise<boolean>;

  /** The cinemas with a showtime of the movie starting after `now`. */
  abstract cinemasShowing(movieId: number, now: Date): Promise<number[]>;

  /** Each cinema's lowest price in cents among showtimes starting after `now` (of `movieId` when given); none, no entry. */
  abstract lowestPrices(cinemaIds: number[], now: Date, movieId?: number): Promise<Map<number, number>>;
}
