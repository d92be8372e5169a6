import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { PresetAnswer } from '../common/preset-answer';
import { IdempotencyRepository } from './idempotency.repository';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_LIFETIME_MS = 24 * 3600 * 1000;
/** A claim still 'running' after this long belongs to a process that died mid-request. */
const ABANDONED_AFTER_MS = 5 * 60 * 1000;

/** Canonical JSON (sorted keys), so that the same body hashes the same however its keys were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${path}\n${canonical(body)}`)
    .digest('hex');
}

/**
 * CONTRACT section 10. The first request with a key claims it by inserting a unique row before any
 * work; whatever it answers (success or 4xx) is stored and replayed to every retry. A 5xx releases
 * the key so that a retry does the work. The answer is stored before it is sent, so a retry that
 * arrives after the first answer always replays it. A guard, not an interceptor: it runs at the
 * same point (after authentication, before validation), and a request without a key then costs a
 * header lookup instead of an interceptor pipeline.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  private readonly logger = new Logger(IdempotencyGuard.name);

  constructor(private readonly keys: IdempotencyRepository) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const key = req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || !req.user) return true;
    return this.claimOrReplay(req as Request & { user: AuthUser }, context.switchToHttp().getResponse<Response>(), key);
  }

  private async claimOrReplay(req: Request & { user: AuthUser }, res: Response, key: string): Promise<boolean> {
    if (!KEY_FORMAT.test(key)) {
      throw new AppException(ResultCode.InvalidParams, 'Idempotency-Key must be 1-64 characters of A-Z a-z 0-9 - _');
    }
    const fingerprint = requestFingerprint(req.method, req.originalUrl, req.body);
    const claim = await this.claim(req.user.id, key, fingerprint);
    if (claim.replay) {
      throw new PresetAnswer(claim.replay.status, claim.replay.body, { 'Idempotent-Replayed': 'true' });
    }
    this.storeBeforeSending(res, claim.id);
    return true;
  }

  private async claim(
    userId: number,
    key: string,
    fingerprint: string,
  ): Promise<{ id: number; replay?: undefined } | { id?: undefined; replay: { status: number; body: string } }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = new Date();
      const id = await this.keys.claim(userId, key, fingerprint, new Date(now.getTime() + KEY_LIFETIME_MS));
      if (id !== null) return { id };
      const existing = await this.keys.find(userId, key);
      if (!existing) continue;
      const abandoned =
        existing.state === 'running' && now.getTime() - existing.createdAt.getTime() > ABANDONED_AFTER_MS;
      if (existing.expiresAt <= now || abandoned) {
        await this.keys.removeStale(existing.id, existing.createdAt);
        continue;
      }
      if (existing.fingerprint !== fingerprint) {
        throw new AppException(ResultCode.IdempotencyConflict, 'Idempotency-Key was used with a different request');
      }
      if (existing.state === 'running' || existing.responseStatus === null || existing.responseBody === null) {
        throw new AppException(
          ResultCode.IdempotencyConflict,
          'the first request with this Idempotency-Key is still running',
        );
      }
      return { replay: { status: existing.responseStatus, body: existing.responseBody } };
    }
    throw new AppException(ResultCode.IdempotencyConflict, 'Idempotency-Key is contended, retry');
  }

  /** Holds the JSON answer back until it is stored (or the claim released on a 5xx), then sends it. */
  private storeBeforeSending(res: Response, claimId: number): void {
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const status = res.statusCode;
      const text = JSON.stringify(body);
      const settle = status >= 500 ? this.keys.release(claimId) : this.keys.complete(claimId, status, text);
      settle
        .catch((error: unknown) => this.logger.error({ err: error }, 'could not settle idempotency key'))
        .finally(() => send(body));
      return res;
    };
  }
}
