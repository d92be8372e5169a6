import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { HallsController } from './halls.controller';
import { HallsRepository } from './halls.repository';
import { HallsService } from './halls.service';

@Module({
  imports: [CatalogModule, SchedulesModule],
  controllers: [HallsController],
  providers: [HallsService, HallsRepository],
})
export class HallsModule {}
