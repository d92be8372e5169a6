import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CinemaAccessService } from './cinema-access.service';
import { Cinema } from './entities/cinema.entity';
import { Movie } from './entities/movie.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Cinema, Movie])],
  providers: [CinemaAccessService],
  exports: [CinemaAccessService],
})
export class CatalogModule {}
