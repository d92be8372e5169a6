import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isDuplicateKeyError } from '../database/db-errors';
import { readStatement, Statement } from '../database/statement';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TickBatcher } from '../common/tick-batcher';
import { runStatement } from '../database/raw-sql';
import type { Role } from '../common/decorators/auth.decorators';
import { RevokedToken } from './entities/revoked-token.entity';

export interface SessionState {
  role: Role;
  tokenVersion: number;
  disabled: boolean;
  revoked: boolean;
}

interface SessionRow {
  kind: 'user' | 'revoked';
  user_id: number | string | null;
  /** the user's role, or the revoked token's id */
  value: string;
  token_version: number | string | null;
  disabled: number | boolean | null;
}

@Injectable()
export class SessionRepository {
  /** Keyed `${userId} ${tokenId}`: the guards of one tick of the event loop share one query (see TickBatcher). */
  private readonly sessions = new TickBatcher<string, SessionState>((keys) =>
    runStatement(this.dataSource.manager, sessionsStatement(keys)),
  );

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Everything the guard needs about a token's user; read on every authenticated request. */
  async findSessionState(userId: number, tokenId: string): Promise<SessionState | null> {
    return (await this.sessions.load(`${userId} ${tokenId}`)) ?? null;
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

/**
 * The users and the revoked tokens among these in one statement. Fixed SQL: it runs for every tick
 * with authenticated requests, so it skips the query builder.
 */
function sessionsStatement(keys: string[]): Statement<Map<string, SessionState>> {
  const wanted = keys.map((key) => {
    const space = key.indexOf(' ');
    return { key, userId: Number(key.slice(0, space)), tokenId: key.slice(space + 1) };
  });
  return readStatement<SessionRow, Map<string, SessionState>>(
    `SELECT 'user' AS kind, u.id AS user_id, u.role AS value, u.token_version AS token_version, u.disabled AS disabled
       FROM users u WHERE u.id IN (:...userIds)
     UNION ALL
     SELECT 'revoked', NULL, r.token_id, NULL, NULL FROM revoked_tokens r WHERE r.token_id IN (:...tokenIds)`,
    { userIds: [...new Set(wanted.map((w) => w.userId))], tokenIds: [...new Set(wanted.map((w) => w.tokenId))] },
    (rows) => {
      const users = new Map(rows.filter((r) => r.kind === 'user').map((r) => [Number(r.user_id), r]));
      const revoked = new Set(rows.filter((r) => r.kind === 'revoked').map((r) => r.value));
      const states = new Map<string, SessionState>();
      for (const { key, userId, tokenId } of wanted) {
        const user = users.get(userId);
        if (!user) continue;
        states.set(key, {
          role: user.value as Role,
          tokenVersion: Number(user.token_version),
          disabled: Boolean(Number(user.disabled)),
          revoked: revoked.has(tokenId),
        });
      }
      return states;
    },
  );
}
