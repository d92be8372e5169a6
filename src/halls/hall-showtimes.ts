import { EntityManager } from 'typeorm';
import type { SeatPosition } from './hall-layout';

/** A seat sold, or held by a hold that has not lapsed, for one showtime. */
export interface ClaimedSeat extends SeatPosition {
  scheduleId: number;
}

/**
 * What changing or deleting a hall must know about the showtimes in it. Schedules owns them and
 * sits above halls, so halls states the question here and injects only this; SchedulesModule
 * provides the answer (HallShowtimesService).
 */
export abstract class HallShowtimes {
  /**
   * Puts the hall's new seat count on sale in its showtimes not yet ended. Their rows stay locked
   * until the caller commits, so a hold of one of them waits for the new layout.
   */
  abstract applySeatCount(manager: EntityManager, hallId: number, seatCount: number, now: Date): Promise<void>;

  /** Seats sold or held for the hall's showtimes not yet ended. */
  abstract claimedSeats(manager: EntityManager, hallId: number, now: Date): Promise<ClaimedSeat[]>;

  abstract hasUpcoming(manager: EntityManager, hallId: number, now: Date): Promise<boolean>;

  /** Past showtimes included: they keep a deleted hall's row. */
  abstract hasAny(manager: EntityManager, hallId: number): Promise<boolean>;
}
