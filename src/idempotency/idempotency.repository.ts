import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { isDuplicateKeyError, isRetryableTransactionError } from '../database/db-errors';
import { IdempotencyKey } from './entities/idempotency-key.entity';

const CLAIM_ATTEMPTS = 5;

@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get keys() {
    return this.dataSource.getRepository(IdempotencyKey);
  }

  /**
   * Inserts the claim; null when the key is already taken by an earlier request. On a Galera
   * Cluster, the same key claimed through two nodes at once loses certification (1213) rather than
   * meeting the unique key: tried again, the claim then finds the other one.
   */
  async claim(userId: number, idemKey: string, fingerprint: string, expiresAt: Date): Promise<number | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.keys.insert({ userId, idemKey, fingerprint, state: 'running', expiresAt });
        return Number(result.identifiers[0].id);
      } catch (error) {
        if (isDuplicateKeyError(error)) return null;
        if (!isRetryableTransactionError(error) || attempt >= CLAIM_ATTEMPTS) throw error;
      }
    }
  }

  find(userId: number, idemKey: string): Promise<IdempotencyKey | null> {
    return this.keys.findOneBy({ userId, idemKey });
  }

  async complete(id: number, responseStatus: number, responseBody: string): Promise<void> {
    await this.keys.update({ id, state: 'running' }, { state: 'done', responseStatus, responseBody });
  }

  async release(id: number): Promise<void> {
    await this.keys.delete({ id });
  }

  /** Removes a claim only if it is still the stale one the caller saw, so two takers cannot both win. */
  async removeStale(id: number, createdAt: Date): Promise<void> {
    await this.keys.delete({ id, createdAt });
  }

  async purgeExpired(now: Date): Promise<number> {
    const result = await this.keys.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
