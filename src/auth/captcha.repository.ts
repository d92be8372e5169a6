import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Captcha } from './entities/captcha.entity';

@Injectable()
export class CaptchaRepository {
  async insert(manager: EntityManager, captcha: Pick<Captcha, 'id' | 'answerHash' | 'expiresAt'>): Promise<void> {
    await manager.getRepository(Captcha).insert({ ...captcha, verifyCount: 0, used: false });
  }

  findById(manager: EntityManager, id: string): Promise<Captcha | null> {
    return manager.getRepository(Captcha).findOneBy({ id });
  }

  /** Counts one /captcha/verify on a live captcha; 0 when it is unknown, expired or used up. */
  async countVerify(manager: EntityManager, id: string, now: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Captcha)
      .set({ verifyCount: () => 'verify_count + 1' })
      .where('id = :id AND used = :used AND expires_at > :now', { id, used: false, now })
      .execute();
    return result.affected ?? 0;
  }

  /** Uses the captcha up if it is still live; 0 tells the caller it was not (any more). */
  async useUp(manager: EntityManager, id: string, now: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Captcha)
      .set({ used: true })
      .where('id = :id AND used = :used AND expires_at > :now', { id, used: false, now })
      .execute();
    return result.affected ?? 0;
  }

  async deleteExpired(manager: EntityManager, now: Date): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(Captcha)
      .where('expires_at <= :now', { now })
      .execute();
    return result.affected ?? 0;
  }
}
