import { Global, Module } from '@nestjs/common';
import { SeatEventsService } from './seat-events.service';

/** Global so that ticketing can record seat changes without depending on the stream module. */
@Global()
@Module({ providers: [SeatEventsService], exports: [SeatEventsService] })
export class SeatEventsModule {}
