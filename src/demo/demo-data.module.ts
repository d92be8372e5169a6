import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CatalogModule } from '../catalog/catalog.module';
import { HallsModule } from '../halls/halls.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { UsersModule } from '../users/users.module';
import { VouchersModule } from '../vouchers/vouchers.module';
import { DemoDataService } from './demo-data.service';
import { DemoCatalogWriter } from './demo-writer';

@Module({
  imports: [AuthModule, UsersModule, CatalogModule, HallsModule, SchedulesModule, VouchersModule],
  providers: [DemoDataService, DemoCatalogWriter],
  exports: [DemoDataService],
})
export class DemoDataModule {}
