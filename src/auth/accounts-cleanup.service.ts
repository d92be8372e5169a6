import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { TransactionRunner } from '../database/transaction-runner';
import { CaptchaRepository } from './captcha.repository';
import { CodesRepository } from './codes.repository';
import { SessionRepository } from './session.repository';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Drops what can no longer matter: expired captchas, codes and logout entries, idle send counters. */
@Injectable()
export class AccountsCleanupService {
  private readonly logger = new Logger(AccountsCleanupService.name);

  constructor(
    private readonly runner: TransactionRunner,
    private readonly captchas: CaptchaRepository,
    private readonly codes: CodesRepository,
    private readonly sessions: SessionRepository,
  ) {}

  @Interval('accounts-cleanup', HOUR)
  async purge(now = new Date()): Promise<void> {
    try {
      await this.runner.run(async (manager) => {
        await this.captchas.deleteExpired(manager, now);
        await this.sessions.deleteExpired(manager, now);
        // Counters idle for two days hold neither a resend interval nor today's count any more.
        await this.codes.deleteStale(manager, new Date(now.getTime() - DAY), new Date(now.getTime() - 2 * DAY));
      });
    } catch (error) {
      this.logger.warn(`accounts cleanup failed: ${(error as Error).message}`);
    }
  }
}
