import * as rawSql from '../src/database/raw-sql';
import { Outcome, SaleTransactions } from '../src/database/sale-transactions';
import type { Transaction } from '../src/database/transaction';
import { CommitOutcomeUnknown } from '../src/database/transaction-runner';
import { countersIn, insertCounter, readCounter } from './support/counters';
import { bootTestApp, TestApp, unique } from './support/test-app';

/** The sale path's transactions (docs/ARCHITECTURE.md, "The sale path"), on SQLite and on MySQL/MariaDB. */
describe('SaleTransactions', () => {
  let t: TestApp;
  let sales: SaleTransactions;

  beforeAll(async () => {
    // The tests count round trips: no delivery worker sending other test files' events meanwhile.
    t = await bootTestApp({ NOTIFICATION_WORKER: 'off' });
    sales = t.app.get(SaleTransactions);
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(() => jest.restoreAllMocks());

  const countersNamed = (...targets: string[]) => countersIn(t.db, targets);
  const deadlock = () =>
    Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK' });

  it('should send what a service asks for in one tick as one round trip, and each awaited ask as its own', async () => {
    const [a, b, c] = [unique('tick-'), unique('tick-'), unique('tick-')];
    const trips = jest.spyOn(rawSql, 'runStatements');
    await sales.run((tx) =>
      Promise.all([tx.send(insertCounter(a)), tx.send(insertCounter(b)), tx.send(insertCounter(c))]),
    );
    expect(trips).toHaveBeenCalledTimes(1);
    trips.mockClear();
    const d = unique('tick-');
    const seen = await sales.run(async (tx) => {
      await tx.send(insertCounter(d, 4));
      return tx.send(readCounter(d));
    });
    expect(trips).toHaveBeenCalledTimes(2);
    expect(seen).toBe(4);
    expect((await countersNamed(a, b, c, d)).sort()).toEqual([a, b, c, d].sort());
  });

  it('should run the after-commit steps once committed, and never after a rollback', async () => {
    const [kept, undone] = [unique('kept-'), unique('undone-')];
    const announced: string[] = [];
    await sales.run(async (tx) => {
      await tx.send(insertCounter(kept));
      tx.afterCommit(() => announced.push(kept));
    });
    const failing = sales.run(async (tx) => {
      await tx.send(insertCounter(undone));
      tx.afterCommit(() => announced.push(undone));
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    expect(announced).toEqual([kept]);
    expect(await countersNamed(kept, undone)).toEqual([kept]);
  });

  it('should undo every statement of a round trip in which one fails', async () => {
    const [first, taken] = [unique('trip-'), unique('trip-')];
    await sales.run((tx) => tx.send(insertCounter(taken)));
    const failing = sales.run((tx) => Promise.all([tx.send(insertCounter(first)), tx.send(insertCounter(taken))]));
    await expect(failing).rejects.toMatchObject({ driverError: expect.anything() });
    expect(await countersNamed(first)).toEqual([]);
  });

  it('should run the whole work again after a deadlock, deciding afresh, and announce only the attempt that committed', async () => {
    const target = unique('retry-');
    const announced: number[] = [];
    let attempts = 0;
    const result = await sales.run(async (tx) => {
      attempts++;
      await tx.send(insertCounter(target, attempts));
      tx.afterCommit(() => announced.push(attempts));
      if (attempts === 1) throw deadlock();
      return tx.send(readCounter(target));
    });
    expect(attempts).toBe(2);
    expect(result).toBe(2);
    expect(announced).toEqual([2]);
  });

  describe('perShowtime', () => {
    it('should decide the jobs that queue behind a batch together, each with its own answer', async () => {
      const batches: number[][] = [];
      const queue = sales.perShowtime<number, number>(async (tx: Transaction, jobs) => {
        batches.push(jobs);
        await tx.send(readCounter(unique('none-')));
        return jobs.map((job): Outcome<number> => (job < 0 ? { error: new Error(`bad ${job}`) } : { value: job * 2 }));
      });
      const answers = await Promise.allSettled([1, 2, -3, 4].map((job) => queue.run(7, job)));
      expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([
        2,
        4,
        'bad -3',
        8,
      ]);
      expect(batches).toEqual([[1], [2, -3, 4]]);
    });

    it('should decide a failed batch again job by job, so that the error stays with its job', async () => {
      const batches: number[][] = [];
      const queue = sales.perShowtime<string, string>(async (tx, jobs) => {
        batches.push(jobs.map((job) => Number(job.length)));
        // Two jobs of the same name collide on the unique key: the whole batch fails.
        await Promise.all(jobs.map((job) => tx.send(insertCounter(job))));
        return jobs.map((job) => ({ value: job }));
      });
      const [x, y] = [unique('alone-'), unique('alone-')];
      const first = queue.run(9, unique('first-'));
      const answers = await Promise.allSettled([first, queue.run(9, x), queue.run(9, y), queue.run(9, x)]);
      expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect(batches.length).toBe(5);
      expect((await countersNamed(x, y)).sort()).toEqual([x, y].sort());
    });

    it('should not decide again after a commit whose outcome is unknown', async () => {
      let calls = 0;
      const queue = sales.perShowtime<number, number>(async (tx) => {
        calls++;
        await tx.send(readCounter(unique('none-')));
        throw new CommitOutcomeUnknown(new Error('connection lost'));
      });
      const blocker = queue.run(11, 0);
      const answers = await Promise.allSettled([blocker, queue.run(11, 1), queue.run(11, 2)]);
      expect(answers.every((a) => a.status === 'rejected' && a.reason instanceof CommitOutcomeUnknown)).toBe(true);
      expect(calls).toBe(2);
    });
  });
});
