import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';

/** Longer than any sale transaction; a holder that dies keeps others waiting at most this long. */
const LEASE_MS = 2000;
/** A waiter gives up on the lease after this long and runs without it. */
const WAIT_LIMIT_MS = 3000;
/** Checked again after this long even without word of a release (a message lost with a connection). */
const RECHECK_MS = 50;
const CHANNEL = 'ttms:leases:released';
const PREFIX = 'ttms:lease:';
/** Deletes the lease only if it is still this holder's, and tells the waiters in the same call. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
  redis.call('publish', ARGV[2], ARGV[3])
end
return 0`;

/**
 * Leases across app instances, one key at a time, through Redis: `around(key, work)` runs `work`
 * while no other instance runs work for that key, waking on the release rather than polling.
 *
 * On a Galera Cluster every sale transaction of a showtime writes that showtime's row, so those of
 * two nodes at once conflict at commit and one of them runs again (docs/ARCHITECTURE.md, "Several
 * database nodes"); a lease per showtime keeps them from running at once. A lease only saves work:
 * certification still decides what commits, so a lease that lapses early, or Redis being away,
 * costs retries and never a double sale. Without Redis, `around` just runs `work`.
 */
export class ShowtimeLeases {
  private readonly logger = new Logger(ShowtimeLeases.name);
  private commands?: Redis;
  private events?: Redis;
  private connecting?: Promise<Redis | undefined>;
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(private readonly redisUrl: string | undefined) {}

  async around<T>(key: string, work: () => Promise<T>): Promise<T> {
    const token = await this.acquire(key);
    try {
      return await work();
    } finally {
      if (token) void this.release(key, token);
    }
  }

  async close(): Promise<void> {
    for (const client of [this.commands, this.events]) await client?.quit().catch(() => undefined);
  }

  private async acquire(key: string): Promise<string | undefined> {
    const redis = await this.client();
    if (!redis) return undefined;
    const token = randomUUID();
    const deadline = Date.now() + WAIT_LIMIT_MS;
    try {
      for (;;) {
        if (await redis.set(PREFIX + key, token, 'PX', LEASE_MS, 'NX')) return token;
        const left = deadline - Date.now();
        if (left <= 0) {
          this.logger.warn(`no lease on ${key} within ${WAIT_LIMIT_MS} ms: running without one`);
          return undefined;
        }
        await this.released(key, Math.min(left, RECHECK_MS));
      }
    } catch (error) {
      this.logger.warn(`leases unavailable (${(error as Error).message}): running without one`);
      return undefined;
    }
  }

  private async release(key: string, token: string): Promise<void> {
    await this.commands?.eval(RELEASE, 1, PREFIX + key, token, CHANNEL, key).catch(() => undefined);
  }

  /** Resolves when a release of `key` is announced, or after `ms`. */
  private released(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.waiting.get(key);
      if (!waiters) this.waiting.set(key, (waiters = new Set()));
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (!waiters.size) this.waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiters.add(wake);
    });
  }

  private client(): Promise<Redis | undefined> {
    if (!this.redisUrl) return Promise.resolve(undefined);
    this.connecting ??= this.connect(this.redisUrl).catch((error: Error) => {
      this.logger.warn(`leases unavailable (${error.message}): running without them`);
      return undefined;
    });
    return this.connecting;
  }

  private async connect(url: string): Promise<Redis> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true };
    this.commands = new Redis(url, options);
    this.events = new Redis(url, options);
    for (const client of [this.commands, this.events]) {
      client.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    }
    await Promise.all([this.commands.connect(), this.events.connect()]);
    this.events.on('message', (_channel: string, key: string) => {
      for (const wake of [...(this.waiting.get(key) ?? [])]) wake();
    });
    await this.events.subscribe(CHANNEL);
    return this.commands;
  }
}
