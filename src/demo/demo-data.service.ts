import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { EntityManager, Not } from 'typeorm';
import { PasswordService } from '../auth/password.service';
import { Cinema } from '../catalog/entities/cinema.entity';
import { Movie } from '../catalog/entities/movie.entity';
import type { Role } from '../common/decorators/auth.decorators';
import { addDays, localDay } from '../common/time';
import { EnvironmentVariables } from '../config/env.validation';
import { TransactionRunner } from '../database/transaction-runner';
import { Hall } from '../halls/entities/hall.entity';
import { Schedule } from '../schedules/entities/schedule.entity';
import { User } from '../users/entities/user.entity';
import { DEMO_CINEMAS, DEMO_HALLS, DEMO_MOVIES } from './demo-catalog';
import { planShowtimes } from './demo-plan';

const SHOWTIME_DAYS = 7;
const INSERT_CHUNK = 100;

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
 * accounts, so that a fresh `npm start` has something to browse and buy. The only writer of other
 * features' tables, and only into a database nobody has used yet.
 */
@Injectable()
export class DemoDataService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoDataService.name);

  constructor(
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly runner: TransactionRunner,
    private readonly passwords: PasswordService,
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
    // A demo aid, printed once: the accounts are random per database and never exist in production.
    const list = accounts.map((a) => `${a.role} "${a.name}" password "${a.password}"`).join('; ');
    this.logger.log(`demo accounts (shown only now): ${list}`);
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
      const [merchant] = await manager.save(
        User,
        accounts.map((a, i) => ({
          name: a.name,
          nameKey: a.name.toLowerCase(),
          phone: null,
          email: null,
          passwordHash: hashes[i],
          nickname: a.role === 'merchant' ? '演示商户' : '演示观众',
          gender: 'unknown' as const,
          role: a.role,
          avatarUrl: null,
          disabled: false,
          tokenVersion: 0,
        })),
      );
      const counts = await this.seedCatalog(manager, merchant.id);
      this.logger.log(
        `demo data: ${counts.cinemas} cinemas, ${counts.halls} halls, ${counts.movies} movies, ${counts.showtimes} showtimes`,
      );
      return accounts;
    });
  }

  /** The first admin (ADMIN_NAME) may be created at start-up before us: admins do not count. */
  private async isEmpty(manager: EntityManager): Promise<boolean> {
    const [cinemas, movies, users] = await Promise.all([
      manager.count(Cinema),
      manager.count(Movie),
      manager.countBy(User, { role: Not('admin') }),
    ]);
    return cinemas + movies + users === 0;
  }

  private async seedCatalog(manager: EntityManager, ownerId: number) {
    const timeZone = this.config.get('APP_TIMEZONE', { infer: true });
    const today = localDay(new Date(), timeZone);
    const cinemas = await manager.save(
      Cinema,
      DEMO_CINEMAS.map((c, i) => ({
        ...c,
        ownerId,
        status: 'active' as const,
        logoUrl: null,
        website: null,
        contactPhone: c.tel,
        paymentAccount: `DEMO-SETTLEMENT-${String(i + 1).padStart(4, '0')}`,
      })),
    );
    const halls = await manager.save(
      Hall,
      cinemas.flatMap((cinema) =>
        DEMO_HALLS.map((h) => ({
          ...h,
          cinemaId: cinema.id,
          seatCount: h.rows * h.cols - h.disabledSeats.length,
          deletedAt: null,
        })),
      ),
    );
    const movies = await manager.save(
      Movie,
      DEMO_MOVIES.map((m, i) => ({
        title: m.title,
        director: m.director,
        actors: m.actors,
        durationMinutes: m.durationMinutes,
        posterUrl: `https://picsum.photos/seed/ttms-movie-${i + 1}/400/600`,
        description: m.description,
        releaseDate: addDays(today, m.releaseInDays),
        offDate: m.offInDays === null ? null : addDays(today, m.offInDays),
        genres: m.genres,
      })),
    );
    const showtimes = planShowtimes(halls, movies, {
      firstDay: addDays(today, 1),
      days: SHOWTIME_DAYS,
      timeZone,
      cleaningMinutes: this.config.get('CLEANING_MINUTES', { infer: true }),
    });
    for (let i = 0; i < showtimes.length; i += INSERT_CHUNK) {
      await manager.insert(Schedule, showtimes.slice(i, i + INSERT_CHUNK));
    }
    return { cinemas: cinemas.length, halls: halls.length, movies: movies.length, showtimes: showtimes.length };
  }
}
