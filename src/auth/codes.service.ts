import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AppException } from '../common/app.exception';
import { ResultCode } from '../common/result-code';
import { localDay } from '../common/time';
import { EnvironmentVariables } from '../config/env.validation';
import { TransactionRunner } from '../database/transaction-runner';
import { CodesRepository } from './codes.repository';
import { CodeTarget } from './entities/code-target.entity';
import { CodePurpose } from './entities/verification-code.entity';

export const CODE_TTL_SECONDS = 5 * 60;
export const CODE_RESEND_SECONDS = 30;
export const CODE_DAILY_CAP = 10;
export const CODE_MAX_ATTEMPTS = 5;

/** `missing`: none, used or expired (1010); `wrong` (1010); `locked`: 5 wrong tries (1011). */
export type CodeVerdict = 'ok' | 'missing' | 'wrong' | 'locked';

export function codeHash(target: string, purpose: CodePurpose, code: string): string {
  return createHash('sha256').update(`${purpose}:${target}:${code}`).digest('hex');
}

export function codeFailure(verdict: Exclude<CodeVerdict, 'ok'>): AppException {
  if (verdict === 'locked') {
    return new AppException(ResultCode.TooManyAttempts, 'too many wrong tries: request a new code');
  }
  return new AppException(ResultCode.CodeIncorrect, 'verification code incorrect or expired');
}

/**
 * 6-digit codes per phone or email and purpose: stored hashed, valid 5 minutes, single use, locked
 * after 5 wrong tries; a target gets one at most every 30 s and 10 a day.
 */
@Injectable()
export class CodesService {
  private readonly timeZone: string;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly runner: TransactionRunner,
    private readonly codes: CodesRepository,
  ) {
    this.timeZone = config.get('APP_TIMEZONE', { infer: true });
  }

  /** Claims the target's send slot (else 1012) and stores a new code; the caller delivers it. */
  async issue(target: string, purpose: CodePurpose, now = new Date()): Promise<{ code: string; expiresIn: number }> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const claim = {
      target,
      now,
      today: localDay(now, this.timeZone),
      lastSentBefore: new Date(now.getTime() - CODE_RESEND_SECONDS * 1000),
      dailyCap: CODE_DAILY_CAP,
    };
    for (let firstSend = false; ; firstSend = true) {
      const outcome = await this.runner.run(async (manager) => {
        if (await this.codes.claimSendSlot(manager, claim)) {
          const expiresAt = new Date(now.getTime() + CODE_TTL_SECONDS * 1000);
          await this.codes.insertCode(manager, {
            target,
            purpose,
            codeHash: codeHash(target, purpose, code),
            expiresAt,
          });
          return 'sent';
        }
        const state = await this.codes.findTarget(manager, target);
        return state || firstSend ? this.refusal(state, now) : 'no-target';
      });
      if (outcome === 'sent') return { code, expiresIn: CODE_TTL_SECONDS };
      if (outcome !== 'no-target') throw outcome;
      // A transaction of its own: inside the claim's, a racing duplicate insert deadlocks on MySQL.
      await this.runner.run((manager) => this.codes.insertTarget(manager, target, claim.today));
    }
  }

  /**
   * Checks a code inside the caller's transaction. A wrong try is recorded, so the caller must let
   * the transaction commit (return, not throw) on any verdict but `ok`.
   */
  async check(
    manager: EntityManager,
    target: string,
    purpose: CodePurpose,
    code: string,
    now = new Date(),
  ): Promise<CodeVerdict> {
    const latest = await this.codes.findLatestCode(manager, target, purpose);
    if (!latest || latest.used || latest.expiresAt.getTime() <= now.getTime()) return 'missing';
    if (latest.attempts >= CODE_MAX_ATTEMPTS) return 'locked';
    const expected = Buffer.from(latest.codeHash, 'hex');
    if (!timingSafeEqual(expected, Buffer.from(codeHash(target, purpose, code), 'hex'))) {
      if (await this.codes.recordWrongAttempt(manager, latest.id, CODE_MAX_ATTEMPTS)) return 'wrong';
      return this.settledVerdict(manager, target, purpose);
    }
    if (await this.codes.markUsed(manager, latest.id, CODE_MAX_ATTEMPTS)) return 'ok';
    return this.settledVerdict(manager, target, purpose);
  }

  /** `check` in a transaction of its own; throws 1010/1011 unless the code is right. */
  async verify(target: string, purpose: CodePurpose, code: string): Promise<void> {
    const verdict = await this.runner.run((manager) => this.check(manager, target, purpose, code));
    if (verdict !== 'ok') throw codeFailure(verdict);
  }

  private refusal(state: CodeTarget | null, now: Date): AppException {
    if (state && state.day === localDay(now, this.timeZone) && state.sentToday >= CODE_DAILY_CAP) {
      return new AppException(ResultCode.TooFrequent, `at most ${CODE_DAILY_CAP} codes a day to one phone or email`);
    }
    const nextAt = (state?.lastSentAt.getTime() ?? now.getTime()) + CODE_RESEND_SECONDS * 1000;
    const wait = Math.max(1, Math.ceil((nextAt - now.getTime()) / 1000));
    return new AppException(ResultCode.TooFrequent, `a new code can be sent in ${wait} s`, null, {
      'Retry-After': String(wait),
    });
  }

  /** A racing request changed the code between our read and our update: read what it left. */
  private async settledVerdict(manager: EntityManager, target: string, purpose: CodePurpose): Promise<CodeVerdict> {
    const latest = await this.codes.findLatestCode(manager, target, purpose);
    return latest && !latest.used && latest.attempts >= CODE_MAX_ATTEMPTS ? 'locked' : 'missing';
  }
}
