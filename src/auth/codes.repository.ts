import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CodeTarget } from './entities/code-target.entity';
import { CodePurpose, VerificationCode } from './entities/verification-code.entity';

export interface SendSlotClaim {
  target: string;
  now: Date;
  /** today in APP_TIMEZONE */
  today: string;
  /** the last send must be at or before this instant (the resend interval) */
  lastSentBefore: Date;
  dailyCap: number;
}

@Injectable()
export class CodesRepository {
  /**
   * One conditional UPDATE claims the right to send: only when the interval has passed and today's
   * count is under the cap, so racing requests cannot both pass. `sent_today` is set before `day`:
   * MySQL evaluates assignments left to right with the new values, SQLite with the old ones, and
   * reading `day` before it changes works on both.
   */
  async claimSendSlot(manager: EntityManager, claim: SendSlotClaim): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(CodeTarget)
      .set({
        lastSentAt: claim.now,
        sentToday: () => 'CASE WHEN day = :today THEN sent_today + 1 ELSE 1 END',
        day: claim.today,
      })
      .where('target = :target AND last_sent_at <= :lastSentBefore', claim)
      .andWhere('(day <> :today OR sent_today < :dailyCap)')
      .setParameters({ today: claim.today, dailyCap: claim.dailyCap })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** The row the claim updates; a racing request may insert it first, which is just as good. */
  async insertTarget(manager: EntityManager, target: string, today: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(CodeTarget)
      .values({ target, lastSentAt: new Date(0), day: today, sentToday: 0 })
      .orIgnore()
      .execute();
  }

  findTarget(manager: EntityManager, target: string): Promise<CodeTarget | null> {
    return manager.getRepository(CodeTarget).findOneBy({ target });
  }

  async insertCode(
    manager: EntityManager,
    code: Pick<VerificationCode, 'target' | 'purpose' | 'codeHash' | 'expiresAt'>,
  ): Promise<void> {
    await manager.getRepository(VerificationCode).insert({ ...code, attempts: 0, used: false });
  }

  /** Only the newest code of a target and purpose counts: sending a new one retires the older ones. */
  findLatestCode(manager: EntityManager, target: string, purpose: CodePurpose): Promise<VerificationCode | null> {
    return manager
      .getRepository(VerificationCode)
      .createQueryBuilder('c')
      .where('c.target = :target AND c.purpose = :purpose', { target, purpose })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getOne();
  }

  async recordWrongAttempt(manager: EntityManager, id: number, maxAttempts: number): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(VerificationCode)
      .set({ attempts: () => 'attempts + 1' })
      .where('id = :id AND used = :used AND attempts < :maxAttempts', { id, used: false, maxAttempts })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Single use even under a race: only one request flips `used`. */
  async markUsed(manager: EntityManager, id: number, maxAttempts: number): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(VerificationCode)
      .set({ used: true })
      .where('id = :id AND used = :used AND attempts < :maxAttempts', { id, used: false, maxAttempts })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async deleteStale(manager: EntityManager, codesExpiredBefore: Date, targetsIdleSince: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .delete()
      .from(VerificationCode)
      .where('expires_at < :codesExpiredBefore', { codesExpiredBefore })
      .execute();
    await manager
      .createQueryBuilder()
      .delete()
      .from(CodeTarget)
      .where('last_sent_at < :targetsIdleSince', { targetsIdleSince })
      .execute();
  }
}
