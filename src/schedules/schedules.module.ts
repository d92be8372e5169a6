import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { HallsModule } from '../halls/halls.module';
import { HallDayController } from './hall-day.controller';
import { ScheduleQueriesService } from './schedule-queries.service';
import { ScheduleSalesRepository } from './schedule-sales.repository';
import { ScheduleSalesService } from './schedule-sales.service';
import { ScheduleViewsRepository } from './schedule-views.repository';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { SchedulesService } from './schedules.service';
import { ShowtimeAnswersModule } from './showtime-answers.module';

@Module({
  imports: [CatalogModule, HallsModule, ShowtimeAnswersModule],
  controllers: [SchedulesController, HallDayController],
  providers: [
    ScheduleSalesService,
    ScheduleSalesRepository,
    SchedulesService,
    ScheduleQueriesService,
    SchedulesRepository,
    ScheduleViewsRepository,
  ],
  exports: [ScheduleSalesService, ScheduleQueriesService, SchedulesService],
})
export class SchedulesModule {}
