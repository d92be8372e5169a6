import { AsyncLocalStorage } from 'node:async_hooks';
import { KeyedBatches, Outcome } from './keyed-batches';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedBatches', () => {
  const doubled = async (jobs: number[]): Promise<Outcome<number>[]> => {
    await tick();
    return jobs.map((job) => (job < 0 ? { error: new Error(`bad ${job}`) } : { value: job * 2 }));
  };

  it('should run the job of an idle key at once, alone, and the jobs that came meanwhile together, in order', async () => {
    const batches: number[][] = [];
    const queue = new KeyedBatches<number, number>((jobs) => {
      batches.push(jobs);
      return doubled(jobs);
    });
    const answers = await Promise.all([1, 2, 3, 4].map((job) => queue.run('showtime:1', job)));
    expect(answers).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(queue.busyKeys).toBe(0);
  });

  it('should give a job its own error without failing the others of its batch', async () => {
    const queue = new KeyedBatches<number, number>(doubled);
    const outcomes = await Promise.allSettled([1, 2, -3, 4].map((job) => queue.run('k', job)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toEqual(new Error('bad -3'));
  });

  it('should fail every job of a batch that throws, and go on with the next batch', async () => {
    let calls = 0;
    const queue = new KeyedBatches<number, number>(async (jobs) => {
      calls++;
      if (calls === 2) throw new Error('lost connection');
      return doubled(jobs);
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map((job) => queue.run('k', job)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    await expect(queue.run('k', 5)).resolves.toBe(10);
  });

  it('should not hold the jobs of one key behind the batch of another, and cap a batch at maxBatch', async () => {
    const batches: string[] = [];
    const queue = new KeyedBatches<string, string>(async (jobs) => {
      batches.push(jobs.join(','));
      await tick();
      return jobs.map((value) => ({ value }));
    }, 2);
    await Promise.all([...['a1', 'a2', 'a3', 'a4'].map((job) => queue.run('a', job)), queue.run('b', 'b1')]);
    expect(batches).toEqual(['a1', 'b1', 'a2,a3', 'a4']);
  });

  it('should fail the jobs of a batch that throws at once or answers too few, and keep the key usable', async () => {
    let calls = 0;
    const queue = new KeyedBatches<number, number>((jobs) => {
      calls++;
      if (calls === 1) throw new Error('threw before any promise');
      if (calls === 2) return Promise.resolve(jobs.slice(1).map((job) => ({ value: job })));
      return doubled(jobs);
    });
    await expect(queue.run('k', 1)).rejects.toThrow('threw before any promise');
    // 2 runs alone and gets no answer; 3 and 5 then go together.
    const short = await Promise.allSettled([queue.run('k', 2), queue.run('k', 3), queue.run('k', 5)]);
    expect((short[0] as PromiseRejectedResult).reason).toEqual(new Error('the batch answered 0 of 1 jobs'));
    expect(short.slice(1)).toEqual([
      { status: 'fulfilled', value: 6 },
      { status: 'fulfilled', value: 10 },
    ]);
    await expect(queue.run('k', 4)).resolves.toBe(8);
    expect(queue.busyKeys).toBe(0);
  });

  it('should run every batch outside the async context of the requests it serves', async () => {
    const requestContext = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const queue = new KeyedBatches<number, number>((jobs) => {
      seen.push(requestContext.getStore());
      return doubled(jobs);
    });
    await Promise.all([1, 2, 3].map((job) => requestContext.run(`request ${job}`, () => queue.run('k', job))));
    expect(seen).toEqual([undefined, undefined]);
  });
});
