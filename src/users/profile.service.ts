import { Injectable } from '@nestjs/common';
import { AppException } from '../common/app.exception';
import { ResultCode } from '../common/result-code';
import { TransactionRunner } from '../database/transaction-runner';
import { UpdateProfileDto } from './dto/profile.dto';
import { toUserDto, UserDto } from './dto/user.dto';
import { ProfileChanges, UsersRepository } from './users.repository';
import { identityConflict } from './users.service';

/** The caller's own account: GET/PATCH /users/me. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly users: UsersRepository,
  ) {}

  async me(userId: number): Promise<UserDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new AppException(ResultCode.NotFound, 'user not found');
    return toUserDto(user);
  }

  async update(userId: number, dto: UpdateProfileDto): Promise<UserDto> {
    const changes: ProfileChanges = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.nickname !== undefined) changes.nickname = dto.nickname;
    if (dto.gender !== undefined) changes.gender = dto.gender;
    try {
      const user = await this.runner.run(async (manager) => {
        if (Object.keys(changes).length) await this.users.updateProfile(manager, userId, changes);
        return this.users.findById(userId, manager);
      });
      if (!user) throw new AppException(ResultCode.NotFound, 'user not found');
      return toUserDto(user);
    } catch (error) {
      throw identityConflict(error) ?? error;
    }
  }
}
