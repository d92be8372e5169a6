import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CatalogShowtimes } from '../catalog/catalog-showtimes';
import { RelatedShowtimesRepository } from './related-showtimes.repository';

/** Schedules' answer to what the catalog asks about showtimes. */
@Injectable()
export class CatalogShowtimesService extends CatalogShowtimes {
  constructor(private readonly showtimes: RelatedShowtimesRepository) {
    super();
  }

  hasSoldShowtimes(manager: EntityManager, movieId: number): Promise<boolean> {
    return this.showtimes.lockMovieHasSales(manager, movieId);
  }

  hasShowtimesFrom(manager: EntityManager, movieId: number, now: Date): Promise<boolean> {
    return this.showtimes.hasMovieShowtimesFrom(manager, movieId, now);
  }

  cinemasShowing(movieId: number, now: Date): Promise<number[]> {
    return this.showtimes.cinemasShowing(movieId, now);
  }

  lowestPrices(cinemaIds: number[], now: Date, movieId?: number): Promise<Map<number, number>> {
    return this.showtimes.lowestPrices(cinemaIds, now, movieId);
  }
}
