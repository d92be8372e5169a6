import type { DeliveryStatus } from './entities/delivery.entity';

/** The longest an attempt may take (CONTRACT section 14): a receiver answering later has failed it. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/**
 * How long a claimed attempt keeps others away: the attempt's own limit and a margin for the
 * database round trips around it. An instance killed mid-attempt leaves it to be made again after this.
 */
export const CLAIM_MS = ATTEMPT_TIMEOUT_MS + 5_000;
/** An attempt ends at least this long before its claim does, for the write of its outcome. */
export const CLAIM_MARGIN_MS = 1_000;

/** `WEBHOOK_RETRY_SCHEDULE`: seconds between attempts. */
export function parseSchedule(text: string): number[] {
  return text.split(',').map((seconds) => Number(seconds.trim()));
}

export interface AttemptOutcome {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
}

export interface AfterAttempt {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/**
 * Where a delivery stands after its `attempts`-th attempt (counting this one): delivered, or due
 * again after the schedule's next gap, or failed once the schedule is used up (one attempt more
 * than it has gaps).
 */
export function afterAttempt(attempts: number, schedule: number[], outcome: AttemptOutcome, now: Date): AfterAttempt {
  if (outcome.delivered) return { status: 'delivered', nextAttemptAt: null, deliveredAt: now };
  if (attempts > schedule.length) return { status: 'failed', nextAttemptAt: null, deliveredAt: null };
  return {
    status: 'pending',
    nextAttemptAt: new Date(now.getTime() + schedule[attempts - 1] * 1000),
    deliveredAt: null,
  };
}
