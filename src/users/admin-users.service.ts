import { Injectable } from '@nestjs/common';
import { AppException } from '../common/app.exception';
import { AuthUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { pageWindow } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { TransactionRunner } from '../database/transaction-runner';
import { AdminUpdateUserDto, UserListQueryDto } from './dto/admin-users.dto';
import { toUserDto, UserDto } from './dto/user.dto';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Admin-only: list users, change roles, disable accounts. Both changes revoke the user's tokens. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
  ) {}

  async list(query: UserListQueryDto): Promise<Page<UserDto>> {
    const [users, total] = await this.users.search({ q: query.q, role: query.role, ...pageWindow(query) });
    return new Page(users.map(toUserDto), total);
  }

  async update(admin: AuthUser, userId: number, dto: AdminUpdateUserDto): Promise<UserDto> {
    const user = await this.runner.run(async (manager) => {
      const current = await this.users.findByIdForUpdate(manager, userId);
      if (!current) throw new AppException(ResultCode.NotFound, 'user not found');
      const roleChanges = dto.role !== undefined && dto.role !== current.role;
      const disabledChanges = dto.disabled !== undefined && dto.disabled !== Boolean(current.disabled);
      // An admin locking themselves out could leave nobody to undo it.
      if (userId === admin.id && (roleChanges || disabledChanges)) {
        throw new AppException(
          ResultCode.PermissionDenied,
          'admins cannot change their own role or disable themselves',
        );
      }
      if (roleChanges) await this.usersService.changeRole(manager, userId, dto.role!);
      if (disabledChanges) await this.users.setDisabled(manager, userId, dto.disabled!);
      return this.users.findById(userId, manager);
    });
    return toUserDto(user!);
  }
}
