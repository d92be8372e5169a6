import { AsyncResource } from 'node:async_hooks';

/** One job's outcome in a batch: its answer, or the error that only it gets. */
export type Outcome<R> = { value: R } | { error: unknown };

interface Queued<J, R> {
  job: J;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Jobs with the same key run in batches, one batch of a key at a time, in the order they came: a
 * job that arrives while its key's batch runs waits for the next one, together with every other job
 * that arrives meanwhile. An idle key runs a job at once, alone; under a rush, the jobs that pile up
 * behind a showtime's row lock share one transaction (one lock, one commit) instead of queueing
 * at it one by one. `runBatch` answers each job on its own; if it throws, every job of that
 * batch gets the error.
 */
export class KeyedBatches<J, R> {
  private readonly keys = new Map<string, { running: boolean; queue: Queued<J, R>[] }>();
  /**
   * Batches run in the async context of this queue's creation, not of whichever request happened
   * to start them (or of the batch before): a batch serves many requests, and what it logs must not
   * carry one request's id.
   */
  private readonly context = new AsyncResource('KeyedBatches');

  constructor(
    private readonly runBatch: (jobs: J[], key: string) => Promise<Outcome<R>[]>,
    private readonly maxBatch = 32,
  ) {}

  run(key: string, job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let entry = this.keys.get(key);
      if (!entry) {
        entry = { running: false, queue: [] };
        this.keys.set(key, entry);
      }
      entry.queue.push({ job, resolve, reject });
      if (!entry.running) this.next(key);
    });
  }

  /** Keys with a batch running or jobs waiting (for tests). */
  get busyKeys(): number {
    return this.keys.size;
  }

  private next(key: string): void {
    const entry = this.keys.get(key)!;
    const taken = entry.queue.splice(0, this.maxBatch);
    if (!taken.length) {
      this.keys.delete(key);
      return;
    }
    entry.running = true;
    // A batch that throws before it returns a promise fails its jobs like one that rejects.
    new Promise<Outcome<R>[]>((resolve) =>
      resolve(
        this.context.runInAsyncScope(() =>
          this.runBatch(
            taken.map((queued) => queued.job),
            key,
          ),
        ),
      ),
    )
      .then(
        (outcomes) =>
          taken.forEach((queued, i) => {
            const outcome = outcomes[i];
            if (!outcome) queued.reject(new Error(`the batch answered ${outcomes.length} of ${taken.length} jobs`));
            else if ('error' in outcome) queued.reject(outcome.error);
            else queued.resolve(outcome.value);
          }),
        (error: unknown) => taken.forEach((queued) => queued.reject(error)),
      )
      .finally(() => {
        entry.running = false;
        this.next(key);
      });
  }
}

/**
 * The fallback of a batch that failed as a whole: each job again in a batch of its own, one after
 * another, so that an error stays with the job that caused it.
 */
export async function eachAlone<J, R>(
  jobs: J[],
  runBatch: (jobs: J[]) => Promise<Outcome<R>[]>,
): Promise<Outcome<R>[]> {
  const outcomes: Outcome<R>[] = [];
  for (const job of jobs) outcomes.push(...(await runBatch([job])));
  return outcomes;
}
