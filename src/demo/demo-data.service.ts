import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EntityManager } from 'typeorm';
import { PasswordService } from '../auth/password.service';
import { CinemasService } from '../catalog/cinemas.service';
import { MoviesService } from '../catalog/movies.service';
import type { Role } from '../common/decorators/auth.decorators';
import { EnvironmentVariables } from '../config/env.validation';
import { TransactionRunner } from '../database/transaction-runner';
import { UsersService } from '../users/users.service';
import { DemoCatalogWriter } from './demo-writer';

export interface DemoAccount {
  name: string;
  role: Role;
  password: string;
}

export interface DemoSettings {
  demoData: boolean;
  databaseUrl?: string;
  nodeEnv: string;
}

/** Why start-up does not seed, or null when it may (and then only into an empty database). */
export function demoSeedingBlocker(settings: DemoSettings): string | null {
  if (!settings.demoData) return 'DEMO_DATA is off';
  if (settings.databaseUrl) return 'demo data is for the embedded SQLite database only';
  if (settings.nodeEnv === 'production') return 'no demo accounts in production';
  return null;
}

/** A random password that also meets the registration rule (a letter and a digit). */
function demoPassword(): string {
  for (;;) {
    const candidate = randomBytes(9).toString('base64url');
    if (/[A-Za-z]/.test(candidate) && /\d/.test(candidate)) return candidate;
  }
}

/**
 * Fills an empty embedded database with cinemas, halls, movies, a week of showtimes and two demo
 * accounts, so that a fresh `npm start` has something to browse and buy, and only into a database
 * nobody has used yet. It owns no table: every row goes through the service of the module that owns it.
 */
@Injectable()
export class DemoDataService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDataService.name);

  constructor(
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly runner: TransactionRunner,
    private readonly passwords: PasswordService,
    private readonly users: UsersService,
    private readonly cinemas: CinemasService,
    private readonly movies: MoviesService,
    private readonly catalog: DemoCatalogWriter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const blocker = demoSeedingBlocker({
      demoData: this.config.get('DEMO_DATA', { infer: true }),
      databaseUrl: this.config.get('DATABASE_URL', { infer: true }),
      nodeEnv: this.config.get('NODE_ENV', { infer: true }),
    });
    if (blocker) {
      this.logger.debug(`no demo data: ${blocker}`);
      return;
    }
    const accounts = await this.seedIfEmpty();
    if (!accounts) return;
    // A demo aid: the accounts are random per database and never exist in production. Kept beside
    // the database file (readable by its owner only), so that every start can name them again.
    writeFileSync(this.accountsFile(), `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
    this.logger.log(`demo data written; its accounts are in ${this.accountsFile()}`);
  }

  /** The demo accounts of this embedded database, or none (no demo data, or another database). */
  accounts(): DemoAccount[] {
    const blocker = demoSeedingBlocker({
      demoData: this.config.get('DEMO_DATA', { infer: true }),
      databaseUrl: this.config.get('DATABASE_URL', { infer: true }),
      nodeEnv: this.config.get('NODE_ENV', { infer: true }),
    });
    if (blocker || !existsSync(this.accountsFile())) return [];
    try {
      return JSON.parse(readFileSync(this.accountsFile(), 'utf8')) as DemoAccount[];
    } catch {
      return [];
    }
  }

  private accountsFile(): string {
    return join(dirname(resolve(this.config.get('DATABASE_PATH', { infer: true }))), 'demo-accounts.json');
  }

  /** Seeds in one transaction; null when the database already holds users, cinemas or movies. */
  async seedIfEmpty(): Promise<DemoAccount[] | null> {
    if (!(await this.isEmpty(this.runner.dataSource.manager))) return null;
    const accounts: DemoAccount[] = [
      { name: 'demo_merchant', role: 'merchant', password: demoPassword() },
      { name: 'demo_customer', role: 'customer', password: demoPassword() },
    ];
    const hashes = await Promise.all(accounts.map((a) => this.passwords.hash(a.password)));
    return this.runner.run(async (manager) => {
      // Checked again under the write lock: another process may have seeded meanwhile.
      if (!(await this.isEmpty(manager))) return null;
      const users = [];
      for (const [i, { name, role }] of accounts.entries()) {
        const nickname = role === 'merchant' ? '演示商户' : '演示观众';
        users.push(
          await this.users.create(manager, { name, role, nickname, gender: 'unknown', passwordHash: hashes[i] }),
        );
      }
      const counts = await this.catalog.write(manager, users[0].id, {
        timeZone: this.config.get('APP_TIMEZONE', { infer: true }),
        cleaningMinutes: this.config.get('CLEANING_MINUTES', { infer: true }),
      });
      this.logger.log(
        `demo data: ${counts.cinemas} cinemas, ${counts.halls} halls, ${counts.movies} movies, ${counts.showtimes} showtimes`,
      );
      this.logger.log(`demo voucher: ${counts.voucher} takes 10 yuan off an order (once per customer)`);
      return accounts;
    });
  }

  /** The first admin (ADMIN_NAME) may be created at start-up before us: admins do not count. */
  private async isEmpty(manager: EntityManager): Promise<boolean> {
    const found = await Promise.all([
      this.cinemas.any(manager),
      this.movies.any(manager),
      this.users.anyBesidesAdmins(manager),
    ]);
    return !found.includes(true);
  }
}
