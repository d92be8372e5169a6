import { Global, Module } from '@nestjs/common';
import { CatalogShowtimes } from '../catalog/catalog-showtimes';
import { HallShowtimes } from '../halls/hall-showtimes';
import { CatalogShowtimesService } from './catalog-showtimes.service';
import { HallShowtimesService } from './hall-showtimes.service';
import { RelatedShowtimesRepository } from './related-showtimes.repository';

/**
 * Global because catalog and halls sit below schedules and cannot import it: they inject the
 * questions they define (CatalogShowtimes, HallShowtimes), and only those answers are shared.
 */
@Global()
@Module({
  providers: [
    RelatedShowtimesRepository,
    { provide: CatalogShowtimes, useClass: CatalogShowtimesService },
    { provide: HallShowtimes, useClass: HallShowtimesService },
  ],
  exports: [CatalogShowtimes, HallShowtimes],
})
export class ShowtimeAnswersModule {}
