import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClaimedSeat, HallShowtimes } from '../halls/hall-showtimes';
import { LiveClaims } from './live-claims';
import { RelatedShowtimesRepository } from './related-showtimes.repository';

/** Schedules' answer to what a hall's changes ask about the showtimes in it. */
@Injectable()
export class HallShowtimesService extends HallShowtimes {
  constructor(
    private readonly showtimes: RelatedShowtimesRepository,
    private readonly claims: LiveClaims,
  ) {
    super();
  }

  applySeatCount(manager: EntityManager, hallId: number, seatCount: number, now: Date): Promise<void> {
    return this.showtimes.setUpcomingSeatCount(manager, hallId, seatCount, now);
  }

  async claimedSeats(manager: EntityManager, hallId: number, now: Date): Promise<ClaimedSeat[]> {
    return this.claims.claimedSeats(manager, await this.showtimes.upcomingInHall(manager, hallId, now), now);
  }

  hasUpcoming(manager: EntityManager, hallId: number, now: Date): Promise<boolean> {
    return this.showtimes.hasUpcomingInHall(manager, hallId, now);
  }

  hasAny(manager: EntityManager, hallId: number): Promise<boolean> {
    return this.showtimes.hasAnyInHall(manager, hallId);
  }
}
