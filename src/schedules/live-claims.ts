import { EntityManager } from 'typeorm';
import type { ClaimedSeat } from '../halls/hall-showtimes';

/**
 * Whether seats of showtimes are sold or held. Ticketing owns seat_claims and answers it, but sits
 * above schedules and halls: they inject only this, and ticketing provides it (LiveClaimsModule).
 * A claim is live while it has no expiry (sold) or its hold has not lapsed at `now`.
 */
export abstract class LiveClaims {
  abstract anyLive(manager: EntityManager, scheduleId: number, now: Date): Promise<boolean>;

  abstract claimedSeats(manager: EntityManager, scheduleIds: number[], now: Date): Promise<ClaimedSeat[]>;
}
