import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { HallsController } from './halls.controller';
import { HallsRepository } from './halls.repository';
import { HallsService } from './halls.service';

@Module({
  imports: [CatalogModule],
  controllers: [HallsController],
  providers: [HallsService, HallsRepository],
  exports: [HallsService],
})
export class HallsModule {}
