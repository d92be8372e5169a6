import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Role } from '../common/decorators/auth.decorators';
import { User } from './entities/user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: number): Promise<User | null> {
    return this.users.findOneBy({ id });
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
