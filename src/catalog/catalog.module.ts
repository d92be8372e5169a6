import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { CinemaAccessService } from './cinema-access.service';
import { CinemasController } from './cinemas.controller';
import { CinemasRepository } from './cinemas.repository';
import { CinemasService } from './cinemas.service';
import { Cinema } from './entities/cinema.entity';
import { Movie } from './entities/movie.entity';
import { MoviesController } from './movies.controller';
import { MoviesRepository } from './movies.repository';
import { MoviesService } from './movies.service';

@Module({
  imports: [TypeOrmModule.forFeature([Cinema, Movie]), UsersModule],
  controllers: [CinemasController, MoviesController],
  providers: [CinemaAccessService, CinemasRepository, CinemasService, MoviesRepository, MoviesService],
  exports: [CinemaAccessService, CinemasService, MoviesService],
})
export class CatalogModule {}
