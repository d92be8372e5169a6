import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isDuplicateKeyError } from '../database/db-errors';
import type { Role } from '../common/decorators/auth.decorators';
import { RevokedToken } from './entities/revoked-token.entity';
import { User } from '../users/entities/user.entity';

export interface SessionState {
  role: Role;
  tokenVersion: number;
  disabled: boolean;
  revoked: boolean;
}

@Injectable()
export class SessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Everything the guard needs about a token's user, in one round trip. */
  async findSessionState(userId: number, tokenId: string): Promise<SessionState | null> {
    const row = await this.dataSource
      .createQueryBuilder()
      .select(['u.role AS role', 'u.token_version AS tokenVersion', 'u.disabled AS disabled'])
      .addSelect((sub) => sub.select('COUNT(*)').from(RevokedToken, 'r').where('r.token_id = :tokenId'), 'revoked')
      .from(User, 'u')
      .where('u.id = :userId', { userId, tokenId })
      .getRawOne<{ role: Role; tokenVersion: number | string; disabled: number | boolean; revoked: number | string }>();
    if (!row) return null;
    return {
      role: row.role,
      tokenVersion: Number(row.tokenVersion),
      disabled: Boolean(Number(row.disabled)),
      revoked: Number(row.revoked) > 0,
    };
  }

  /** Logout: that token answers 1007 until it would have expired anyway. Logging out twice is fine. */
  async revoke(manager: EntityManager, token: Pick<RevokedToken, 'tokenId' | 'userId' | 'expiresAt'>): Promise<void> {
    try {
      await manager.getRepository(RevokedToken).insert(token);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async deleteExpired(manager: EntityManager, now: Date): Promise<void> {
    await manager.createQueryBuilder().delete().from(RevokedToken).where('expires_at <= :now', { now }).execute();
  }
}
