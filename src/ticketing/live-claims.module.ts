import { Global, Injectable, Module } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ClaimedSeat } from '../halls/hall-showtimes';
import { LiveClaims } from '../schedules/live-claims';
import { SeatClaim } from './entities/seat-claim.entity';

/** Ticketing's answer to LiveClaims: it owns seat_claims. */
@Injectable()
export class SeatClaimsLiveClaims extends LiveClaims {
  anyLive(manager: EntityManager, scheduleId: number, now: Date): Promise<boolean> {
    return manager
      .getRepository(SeatClaim)
      .createQueryBuilder('c')
      .where('c.schedule_id = :scheduleId', { scheduleId })
      .andWhere('(c.expires_at IS NULL OR c.expires_at > :now)', { now })
      .getExists();
  }

  async claimedSeats(manager: EntityManager, scheduleIds: number[], now: Date): Promise<ClaimedSeat[]> {
    if (!scheduleIds.length) return [];
    const rows = await manager
      .getRepository(SeatClaim)
      .createQueryBuilder('c')
      .select(['c.schedule_id AS scheduleId', 'c.seat_row AS seatRow', 'c.seat_col AS seatCol'])
      .where('c.schedule_id IN (:...scheduleIds)', { scheduleIds })
      .andWhere('(c.expires_at IS NULL OR c.expires_at > :now)', { now })
      .getRawMany<{ scheduleId: number | string; seatRow: number | string; seatCol: number | string }>();
    return rows.map((r) => ({ scheduleId: Number(r.scheduleId), row: Number(r.seatRow), col: Number(r.seatCol) }));
  }
}

/**
 * Global because the modules that ask (schedules, and halls through it) sit below ticketing and
 * cannot import it; only this answer is shared.
 */
@Global()
@Module({
  providers: [{ provide: LiveClaims, useClass: SeatClaimsLiveClaims }],
  exports: [LiveClaims],
})
export class LiveClaimsModule {}
