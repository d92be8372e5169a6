import { afterAttempt, parseSchedule } from './retry-schedule';

describe('retry schedule', () => {
  const now = new Date('2026-12-08T04:00:00.000Z');
  const failed = { delivered: false, statusCode: 500, error: 'HTTP 500' };
  const schedule = parseSchedule('5,300,1800');

  it('should read WEBHOOK_RETRY_SCHEDULE as seconds', () => {
    expect(parseSchedule('5, 300,1800')).toEqual([5, 300, 1800]);
  });

  it('should deliver on a 2xx at any attempt', () => {
    const ok = { delivered: true, statusCode: 204, error: null };
    expect(afterAttempt(4, schedule, ok, now)).toEqual({ status: 'delivered', nextAttemptAt: null, deliveredAt: now });
  });

  it('should wait the gap after each failed attempt, then fail after one attempt more than there are gaps', () => {
    const next = (attempts: number) => afterAttempt(attempts, schedule, failed, now);
    expect(next(1)).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + 5_000), deliveredAt: null });
    expect(next(2).nextAttemptAt).toEqual(new Date(now.getTime() + 300_000));
    expect(next(3).nextAttemptAt).toEqual(new Date(now.getTime() + 1_800_000));
    expect(next(4)).toEqual({ status: 'failed', nextAttemptAt: null, deliveredAt: null });
  });
});
