import { Module } from '@nestjs/common';
import { ScheduleSalesService } from './schedule-sales.service';

@Module({
  providers: [ScheduleSalesService],
  exports: [ScheduleSalesService],
})
export class SchedulesModule {}
