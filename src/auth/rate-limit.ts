import { applyDecorators, ExecutionContext, Injectable, Logger, SetMetadata } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ConfigService } from '@nestjs/config';
import {
  Throttle,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerStorage,
  ThrottlerStorageService,
} from '@nestjs/throttler';
import { ResultCode } from '../common/result-code';
import { ApiErrors } from '../common/swagger/api-envelope';
import { EnvironmentVariables } from '../config/env.validation';

const RATE_LIMITED = 'rateLimited';
const MINUTE = 60_000;

/** Per-IP budgets; each endpoint counts on its own. The per-phone/email rules live in CodesService. */
export const RATE_LIMITS = {
  captcha: { limit: 30, ttl: MINUTE },
  code: { limit: 5, ttl: MINUTE },
  login: { limit: 10, ttl: MINUTE },
  /** Account look-ups (availability) answer whether a phone or email is registered. */
  lookup: { limit: 60, ttl: MINUTE },
} as const;

/** Limits the route per client IP: over it, 429 + 1012 with Retry-After. */
export const RateLimit = (kind: keyof typeof RATE_LIMITS) =>
  applyDecorators(
    SetMetadata(RATE_LIMITED, true),
    Throttle({ default: RATE_LIMITS[kind] }),
    ApiErrors(ResultCode.TooFrequent),
  );

/** The throttler guard, limited to the routes marked @RateLimit(); every other route passes untouched. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const marked = this.reflector.getAllAndOverride<boolean>(RATE_LIMITED, [context.getHandler(), context.getClass()]);
    return Promise.resolve(!marked);
  }
}

/**
 * With REDIS_URL the hit counters live in Redis, so that a limit holds across instances. If Redis
 * fails, counting falls back to this process's memory rather than failing logins.
 */
class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new ThrottlerStorageService();
  private readonly redis: ThrottlerStorageRedisService;

  constructor(url: string) {
    this.redis = new ThrottlerStorageRedisService(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      keyPrefix: 'ttms:rl:',
    });
    this.redis.redis.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string) {
    try {
      return await this.redis.increment(key, ttl, limit, blockDuration, name);
    } catch (error) {
      this.logger.warn(`rate limit counted locally: ${(error as Error).message}`);
      return this.local.increment(key, ttl, limit, blockDuration, name);
    }
  }

  onModuleDestroy(): void {
    this.redis.onModuleDestroy();
    this.local.onApplicationShutdown();
  }
}

function rateLimitStorage(redisUrl: string | undefined): ThrottlerStorage {
  return redisUrl ? new SharedThrottlerStorage(redisUrl) : new ThrottlerStorageService();
}

export function rateLimitOptions(config: ConfigService<EnvironmentVariables, true>): ThrottlerModuleOptions {
  const enabled = config.get('RATE_LIMITS', { infer: true }) !== 'off';
  return {
    throttlers: [{ name: 'default', ...RATE_LIMITS.login }],
    skipIf: () => !enabled,
    storage: rateLimitStorage(config.get('REDIS_URL', { infer: true })),
    errorMessage: 'too many requests from this address, retry later',
  };
}
