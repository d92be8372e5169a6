import { Module } from '@nestjs/common';
import { SchedulesModule } from '../schedules/schedules.module';
import { TicketingModule } from '../ticketing/ticketing.module';
import { SeatStreamController } from './seat-stream.controller';
import { SeatStreamHub } from './seat-stream.hub';
import { SeatStreamService } from './seat-stream.service';
import { ExpiryTickerService } from './expiry-ticker.service';

@Module({
  imports: [TicketingModule, SchedulesModule],
  controllers: [SeatStreamController],
  providers: [SeatStreamHub, SeatStreamService, ExpiryTickerService],
  exports: [SeatStreamHub],
})
export class LiveSeatsModule {}
