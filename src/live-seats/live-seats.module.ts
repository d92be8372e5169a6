import { Module } from '@nestjs/common';
import { TicketingModule } from '../ticketing/ticketing.module';
import { SeatStreamController } from './seat-stream.controller';
import { SeatStreamHub } from './seat-stream.hub';
import { SeatStreamService } from './seat-stream.service';

@Module({
  imports: [TicketingModule],
  controllers: [SeatStreamController],
  providers: [SeatStreamHub, SeatStreamService],
  exports: [SeatStreamHub],
})
export class LiveSeatsModule {}
