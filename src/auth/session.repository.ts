import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isDuplicateKeyError } from '../database/db-errors';
import { selectRows } from '../database/raw-sql';
import type { Role } from '../common/decorators/auth.decorators';
import { RevokedToken } from './entities/revoked-token.entity';

export interface SessionState {
  role: Role;
  tokenVersion: number;
  disabled: boolean;
  revoked: boolean;
}

@Injectable()
export class SessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Everything the guard needs about a token's user, in one round trip. Fixed SQL: it runs on every
   * authenticated request, so it skips the query builder.
   */
  async findSessionState(userId: number, tokenId: string): Promise<SessionState | null> {
    const [row] = await selectRows<{
      role: Role;
      token_version: number | string;
      disabled: number | boolean;
      revoked: number | string;
    }>(
      this.dataSource.manager,
      'SELECT u.role AS role, u.token_version AS token_version, u.disabled AS disabled, ' +
        '(SELECT COUNT(*) FROM revoked_tokens r WHERE r.token_id = :tokenId) AS revoked FROM users u WHERE u.id = :userId',
      { tokenId, userId },
    );
    if (!row) return null;
    return {
      role: row.role,
      tokenVersion: Number(row.token_version),
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
