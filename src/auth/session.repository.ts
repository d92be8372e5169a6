import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TickBatcher } from '../common/tick-batcher';
import type { Role } from '../common/decorators/auth.decorators';
import { isDuplicateKeyError } from '../database/db-errors';
import { runStatements } from '../database/raw-sql';
import { readStatement, Statement } from '../database/statement';
import { UsersService } from '../users/users.service';
import { RevokedToken } from './entities/revoked-token.entity';

export interface SessionState {
  role: Role;
  tokenVersion: number;
  disabled: boolean;
  revoked: boolean;
}

@Injectable()
export class SessionRepository {
  /** Keyed `${userId} ${tokenId}`: the guards of one tick of the event loop share one read (see TickBatcher). */
  private readonly sessions = new TickBatcher<string, SessionState>((keys) => this.loadSessions(keys));

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
  ) {}

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

  /** The users (asked of the users module) and the revoked tokens among these, in one round trip. */
  private async loadSessions(keys: string[]): Promise<Map<string, SessionState>> {
    const wanted = keys.map((key) => {
      const space = key.indexOf(' ');
      return { key, userId: Number(key.slice(0, space)), tokenId: key.slice(space + 1) };
    });
    const [accounts, revoked] = await runStatements(this.dataSource.manager, [
      this.users.sessionAccounts([...new Set(wanted.map((w) => w.userId))]),
      revokedAmongStatement([...new Set(wanted.map((w) => w.tokenId))]),
    ]);
    const states = new Map<string, SessionState>();
    for (const { key, userId, tokenId } of wanted) {
      const account = accounts.get(userId);
      if (account) states.set(key, { ...account, revoked: revoked.has(tokenId) });
    }
    return states;
  }
}

/** Fixed SQL: it runs for every tick with authenticated requests, so it skips the query builder. */
function revokedAmongStatement(tokenIds: string[]): Statement<Set<string>> {
  return readStatement<{ token_id: string }, Set<string>>(
    'SELECT r.token_id FROM revoked_tokens r WHERE r.token_id IN (:...tokenIds)',
    { tokenIds },
    (rows) => new Set(rows.map((r) => r.token_id)),
  );
}
