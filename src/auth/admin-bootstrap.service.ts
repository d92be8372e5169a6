import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppException } from '../common/app.exception';
import { EnvironmentVariables } from '../config/env.validation';
import { TransactionRunner } from '../database/transaction-runner';
import { IsAccountName, IsNewPassword } from '../users/dto/account-fields';
import { UsersService } from '../users/users.service';
import { PasswordService } from './password.service';

class AdminAccount {
  @IsAccountName()
  name!: string;

  @IsNewPassword('ADMIN_PASSWORD')
  password!: string;
}

/**
 * ADMIN_NAME/ADMIN_PASSWORD create the first admin at start-up when no user has that name. Several
 * instances starting at once race on the unique name: the losers' duplicate key means "done".
 */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly runner: TransactionRunner,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const name = this.config.get('ADMIN_NAME', { infer: true });
    const password = this.config.get('ADMIN_PASSWORD', { infer: true });
    if (!name && !password) return;
    const account = this.validAccount(name, password);
    const existing = await this.users.findByName(account.name);
    if (existing) {
      if (existing.role !== 'admin') {
        this.logger.warn(`ADMIN_NAME ${account.name} belongs to a ${existing.role}: left as it is`);
      }
      return;
    }
    const passwordHash = await this.passwords.hash(account.password);
    try {
      await this.runner.run((manager) =>
        this.users.create(manager, { name: account.name, passwordHash, role: 'admin' }),
      );
      this.logger.log(`created the admin ${account.name}`);
    } catch (error) {
      if (!(error instanceof AppException)) throw error;
    }
  }

  private validAccount(name?: string, password?: string): AdminAccount {
    const account = plainToInstance(AdminAccount, { name, password });
    const problems = validateSync(account).flatMap((e) => Object.values(e.constraints ?? {}));
    if (!name || !password) problems.unshift('ADMIN_NAME and ADMIN_PASSWORD must be set together');
    if (problems.length) throw new Error(`Invalid first admin: ${problems.join('; ')}`);
    return account;
  }
}
