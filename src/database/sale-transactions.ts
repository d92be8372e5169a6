import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.validation';
import { eachAlone, KeyedBatches, Outcome } from './keyed-batches';
import { ShowtimeLeases } from './showtime-leases';
import { Transaction } from './transaction';
import { CommitOutcomeUnknown, TransactionRunner } from './transaction-runner';

export type { Outcome } from './keyed-batches';

export interface BatchOptions {
  /** The most jobs decided in one transaction. */
  maxBatch?: number;
  /** Errors, besides deadlocks, after which the whole batch is decided again (say, a random code that collided). */
  retryAlso?: (error: unknown) => boolean;
}

export interface ShowtimeBatchOptions<J> extends BatchOptions {
  /**
   * Rows besides the showtime's that a batch of these jobs writes and other showtimes' batches write
   * too (a voucher's): on a Galera Cluster they are leased as well, after the showtime, in sorted order.
   */
  alsoLease?: (jobs: J[]) => string[];
}

/**
 * The sale path's one way into the database: transactions on showtimes' seats. What commits when,
 * in which order locks are taken, what is retried and what runs after the commit are decided here
 * and described in docs/ARCHITECTURE.md ("The sale path"); the services above say only what is
 * decided and why.
 */
@Injectable()
export class SaleTransactions implements OnModuleDestroy {
  private readonly leases: ShowtimeLeases;

  constructor(
    private readonly runner: TransactionRunner,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.leases = new ShowtimeLeases(config.get('REDIS_URL', { infer: true }));
  }

  async onModuleDestroy(): Promise<void> {
    await this.leases.close();
  }

  /**
   * `work` in one transaction, run again whole after a deadlock; the steps it gave `afterCommit` run
   * once it has committed.
   */
  async run<T>(work: (tx: Transaction) => Promise<T>, options: BatchOptions = {}): Promise<T> {
    let committed!: Transaction;
    const result = await this.runner.run(async (manager) => {
      const tx = new Transaction(manager);
      try {
        return await work(tx);
      } finally {
        await tx.settled();
        committed = tx;
      }
    }, options);
    committed.runCommittedSteps();
    return result;
  }

  /**
   * `run` for work that writes one showtime's row (a batch, a cancel, a refund). On a Galera
   * Cluster, one instance at a time per showtime, through a lease in Redis (ShowtimeLeases): the
   * nodes' transactions on that row would otherwise conflict at commit.
   */
  runForShowtime<T>(
    showtimeId: number | string,
    work: (tx: Transaction) => Promise<T>,
    options: BatchOptions = {},
    alsoLease: string[] = [],
  ): Promise<T> {
    if (!this.runner.galera) return this.run(work, options);
    // Always the showtime first, then the others sorted: two instances never wait on each other in a circle.
    const keys = [`showtime:${showtimeId}`, ...[...new Set(alsoLease)].sort()];
    const leased = keys.reduceRight<() => Promise<T>>(
      (inner, key) => () => this.leases.around(key, inner),
      () => this.run(work, options),
    );
    return leased();
  }

  /**
   * Jobs of one showtime that arrive while a batch of them runs wait, and are decided together in
   * the next transaction: `decide` answers each job on its own, in the order they came. A batch that
   * fails is decided again job by job, so that an error stays with the job that caused it.
   */
  perShowtime<J, R>(
    decide: (tx: Transaction, jobs: J[]) => Promise<Outcome<R>[]>,
    options: ShowtimeBatchOptions<J> = {},
  ): ShowtimeBatches<J, R> {
    return new ShowtimeBatches(this, decide, options);
  }
}

export class ShowtimeBatches<J, R> {
  private readonly queue: KeyedBatches<J, R>;

  constructor(
    private readonly sales: SaleTransactions,
    private readonly decide: (tx: Transaction, jobs: J[]) => Promise<Outcome<R>[]>,
    private readonly options: ShowtimeBatchOptions<J>,
  ) {
    this.queue = new KeyedBatches((jobs, showtimeId) => this.together(jobs, showtimeId), options.maxBatch);
  }

  run(showtimeId: number, job: J): Promise<R> {
    return this.queue.run(String(showtimeId), job);
  }

  private async together(jobs: J[], showtimeId: string): Promise<Outcome<R>[]> {
    try {
      const alsoLease = this.options.alsoLease?.(jobs) ?? [];
      return await this.sales.runForShowtime(showtimeId, (tx) => this.decide(tx, jobs), this.options, alsoLease);
    } catch (error) {
      // Deciding again after a commit that may stand would act twice.
      if (jobs.length === 1 || error instanceof CommitOutcomeUnknown) return jobs.map(() => ({ error }));
      return eachAlone(jobs, (one) => this.together(one, showtimeId));
    }
  }
}
