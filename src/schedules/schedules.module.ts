import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { ScheduleQueriesService } from './schedule-queries.service';
import { ScheduleSalesRepository } from './schedule-sales.repository';
import { ScheduleSalesService } from './schedule-sales.service';
import { ScheduleViewsRepository } from './schedule-views.repository';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { SchedulesService } from './schedules.service';

@Module({
  imports: [CatalogModule],
  controllers: [SchedulesController],
  providers: [
    ScheduleSalesService,
    ScheduleSalesRepository,
    SchedulesService,
    ScheduleQueriesService,
    SchedulesRepository,
    ScheduleViewsRepository,
  ],
  exports: [ScheduleSalesService, ScheduleQueriesService],
})
export class SchedulesModule {}
