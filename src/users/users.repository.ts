import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, In, Not, Repository } from 'typeorm';
import type { Role } from '../common/decorators/auth.decorators';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from './entities/user.entity';
import { PHONE_PATTERN } from './dto/account-fields';

export type NewUser = Pick<User, 'name' | 'passwordHash'> &
  Partial<Pick<User, 'phone' | 'email' | 'nickname' | 'gender' | 'role'>>;
export type ProfileChanges = Partial<Pick<User, 'name' | 'nickname' | 'gender'>>;

export interface UserSearch {
  q?: string;
  role?: Role;
  skip: number;
  take: number;
}

/** `!` escapes LIKE wildcards the same way on SQLite (which has no default escape) and MySQL. */
function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

@Injectable()
export class UsersRepository {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly runner: TransactionRunner,
  ) {}

  findById(id: number, manager?: EntityManager): Promise<User | null> {
    return (manager?.getRepository(User) ?? this.users).findOneBy({ id });
  }

  existsBesidesAdmins(manager: EntityManager): Promise<boolean> {
    return manager.getRepository(User).existsBy({ role: Not('admin') });
  }

  /** The lock keeps concurrent admin changes to one user in order (MySQL; SQLite transactions are serial). */
  findByIdForUpdate(manager: EntityManager, id: number): Promise<User | null> {
    const query = manager.getRepository(User).createQueryBuilder('u').where('u.id = :id', { id });
    return this.runner.forUpdate(query).getOne();
  }

  async contactsOf(ids: number[]): Promise<Map<number, { email: string | null; phone: string | null }>> {
    if (!ids.length) return new Map();
    const users = await this.users.find({ where: { id: In(ids) }, select: { id: true, email: true, phone: true } });
    return new Map(users.map((user) => [user.id, { email: user.email, phone: user.phone }]));
  }

  findByPhone(phone: string): Promise<User | null> {
    return this.users.findOneBy({ phone });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  findByName(name: string): Promise<User | null> {
    return this.users.findOneBy({ nameKey: name.toLowerCase() });
  }

  /** A login account is an email (has `@`), a phone (11 digits), or else a name (never all digits, never `@`). */
  findByAccount(account: string): Promise<User | null> {
    const value = account.trim();
    if (value.includes('@')) return this.findByEmail(value);
    if (PHONE_PATTERN.test(value)) return this.findByPhone(value);
    return this.findByName(value);
  }

  /** The users holding any of the given name, phone or email, for the availability answers. */
  findHolders(keys: {
    name?: string;
    phone?: string;
    email?: string;
  }): Promise<Pick<User, 'nameKey' | 'phone' | 'email'>[]> {
    const query = this.users.createQueryBuilder('u').select(['u.nameKey', 'u.phone', 'u.email']).where('1 = 0');
    if (keys.name) query.orWhere('u.name_key = :nameKey', { nameKey: keys.name.toLowerCase() });
    if (keys.phone) query.orWhere('u.phone = :phone', { phone: keys.phone });
    if (keys.email) query.orWhere('u.email = :email', { email: keys.email.toLowerCase() });
    return query.getMany();
  }

  insert(manager: EntityManager, user: NewUser): Promise<User> {
    return manager.getRepository(User).save(
      manager.getRepository(User).create({
        ...user,
        nameKey: user.name.toLowerCase(),
        email: user.email?.toLowerCase() ?? null,
        phone: user.phone ?? null,
        nickname: user.nickname ?? null,
        gender: user.gender ?? 'unknown',
        role: user.role ?? 'customer',
        avatarUrl: null,
        disabled: false,
        tokenVersion: 0,
      }),
    );
  }

  async updateProfile(manager: EntityManager, id: number, changes: ProfileChanges): Promise<void> {
    const nameKey = changes.name === undefined ? {} : { nameKey: changes.name.toLowerCase() };
    await manager.getRepository(User).update({ id }, { ...changes, ...nameKey });
  }

  async setAvatarUrl(manager: EntityManager, id: number, avatarUrl: string): Promise<void> {
    await manager.getRepository(User).update({ id }, { avatarUrl });
  }

  /** With `revokeTokens`, every token issued before answers 1007 from now on. */
  async setPasswordHash(
    manager: EntityManager,
    id: number,
    passwordHash: string,
    revokeTokens: boolean,
  ): Promise<void> {
    const set = revokeTokens ? { passwordHash, tokenVersion: () => 'token_version + 1' } : { passwordHash };
    await manager.createQueryBuilder().update(User).set(set).where('id = :id', { id }).execute();
  }

  /**
   * A password reset: applies only while the user's token version is still the one the reset token
   * carries, and bumps it, so a reset token works once and every older session token dies with it.
   */
  async resetPassword(
    manager: EntityManager,
    id: number,
    tokenVersion: number,
    passwordHash: string,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(User)
      .set({ passwordHash, tokenVersion: () => 'token_version + 1' })
      .where('id = :id AND token_version = :tokenVersion', { id, tokenVersion })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async setDisabled(manager: EntityManager, id: number, disabled: boolean): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(User)
      .set({ disabled, tokenVersion: () => 'token_version + 1' })
      .where('id = :id', { id })
      .execute();
  }

  search({ q, role, skip, take }: UserSearch): Promise<[User[], number]> {
    const query = this.users.createQueryBuilder('u').orderBy('u.id', 'DESC').skip(skip).take(take);
    if (role) query.andWhere('u.role = :role', { role });
    if (q?.trim()) {
      const pattern = likeContains(q.trim());
      query.andWhere(
        new Brackets((any) =>
          any
            .where("u.name_key LIKE :pattern ESCAPE '!'")
            .orWhere("LOWER(u.nickname) LIKE :pattern ESCAPE '!'")
            .orWhere("u.phone LIKE :pattern ESCAPE '!'")
            .orWhere("u.email LIKE :pattern ESCAPE '!'"),
        ),
        { pattern },
      );
    }
    return query.getManyAndCount();
  }
}
