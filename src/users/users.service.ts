import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppException } from '../common/app.exception';
import type { Role } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { duplicateKeyIndex, isDuplicateKeyError } from '../database/db-errors';
import type { Statement } from '../database/statement';
import { User } from './entities/user.entity';
import { SessionAccount, sessionAccountsStatement } from './session-accounts';
import { NewUser, UsersRepository } from './users.repository';

/** What this service hands out; the entity class stays users' own. */
export type { SessionAccount, User };

export interface IdentityKeys {
  name?: string;
  phone?: string;
  email?: string;
}

export interface Availability {
  nameTaken?: boolean;
  phoneTaken?: boolean;
  emailTaken?: boolean;
}

/** uq_users_email (MySQL) or users.email (SQLite) is an email clash; the name and phone indexes are 1004. */
export function identityConflict(error: unknown): AppException | null {
  if (!isDuplicateKeyError(error)) return null;
  return duplicateKeyIndex(error).includes('email')
    ? new AppException(ResultCode.EmailTaken)
    : new AppException(ResultCode.UserExists, 'user already exists: name or phone taken');
}

/** The users other modules see: lookups, account creation and the changes that revoke tokens. */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  findById(id: number, manager?: EntityManager): Promise<User | null> {
    return this.users.findById(id, manager);
  }

  /** The statement reading the session side of these users, for the auth guard to send with its own. */
  /** Where each account can be reached now: its email and phone, either null. */
  contactsOf(ids: number[]): Promise<Map<number, { email: string | null; phone: string | null }>> {
    return this.users.contactsOf(ids);
  }

  sessionAccounts(userIds: number[]): Statement<Map<number, SessionAccount>> {
    return sessionAccountsStatement(userIds);
  }

  /** Whether anyone but an admin has an account (the first admin may be created at start-up). */
  anyBesidesAdmins(manager: EntityManager): Promise<boolean> {
    return this.users.existsBesidesAdmins(manager);
  }

  findByAccount(account: string): Promise<User | null> {
    return this.users.findByAccount(account);
  }

  findByPhone(phone: string): Promise<User | null> {
    return this.users.findByPhone(phone);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(email);
  }

  findByName(name: string): Promise<User | null> {
    return this.users.findByName(name);
  }

  /** Answers only for the keys given. */
  async availability(keys: IdentityKeys): Promise<Availability> {
    const holders = await this.users.findHolders(keys);
    const answer: Availability = {};
    if (keys.name) answer.nameTaken = holders.some((u) => u.nameKey === keys.name!.toLowerCase());
    if (keys.phone) answer.phoneTaken = holders.some((u) => u.phone === keys.phone);
    if (keys.email) answer.emailTaken = holders.some((u) => u.email === keys.email!.toLowerCase());
    return answer;
  }

  /** 1004 for a taken name or phone, 1003 for a taken email: an early, friendly answer; the unique indexes decide. */
  async assertIdentitiesFree(keys: IdentityKeys): Promise<void> {
    const taken = await this.availability(keys);
    if (taken.nameTaken) throw new AppException(ResultCode.UserExists, 'user already exists: name taken');
    if (taken.phoneTaken) throw new AppException(ResultCode.UserExists, 'user already exists: phone taken');
    if (taken.emailTaken) throw new AppException(ResultCode.EmailTaken);
  }

  /** Inserts a user in the caller's transaction; a unique index clash becomes 1004/1003. */
  async create(manager: EntityManager, user: NewUser): Promise<User> {
    try {
      return await this.users.insert(manager, user);
    } catch (error) {
      throw identityConflict(error) ?? error;
    }
  }

  setPasswordHash(manager: EntityManager, userId: number, passwordHash: string, revokeTokens: boolean): Promise<void> {
    return this.users.setPasswordHash(manager, userId, passwordHash, revokeTokens);
  }

  /** False when the token version moved on (the reset token was used, or the user's tokens were revoked). */
  resetPassword(manager: EntityManager, userId: number, tokenVersion: number, passwordHash: string): Promise<boolean> {
    return this.users.resetPassword(manager, userId, tokenVersion, passwordHash);
  }

  /**
   * Sets a role and revokes every token the user holds (their role claim is stale), inside the
   * caller's transaction so that it commits or rolls back with the change that caused it.
   */
  async changeRole(manager: EntityManager, userId: number, role: Role): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(User)
      .set({ role, tokenVersion: () => 'token_version + 1' })
      .where('id = :userId', { userId })
      .execute();
  }
}
