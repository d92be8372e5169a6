import { Injectable } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runStatements } from './raw-sql';
import { Statement } from './statement';

/** The most statements one round trip carries; more in one turn go in several. */
const MAX_STATEMENTS_PER_TRIP = 32;

interface Asked {
  statement: Statement<unknown>;
  resolve: (answer: unknown) => void;
  reject: (error: unknown) => void;
}

interface Batch {
  /** Run first at sending time: keyed loaders (TurnBatcher) turn their keys into statements here. */
  preludes: (() => void)[];
  asked: Asked[];
}

/**
 * Reads outside any transaction that are asked for during one event-loop turn, sent together: on
 * MySQL/MariaDB as one multi-statement round trip, on SQLite one after another in process. They go
 * out in setImmediate, after every caller of the turn asked, so each still sees every commit before
 * its own request, as with a query of its own. Under load, the reads that requests make before their
 * own work (the session behind a token, the order being paid, a seat map's stamp) share a round trip
 * instead of taking one each: on loopback, each round trip costs the app and the server a socket
 * write and a wake-up.
 */
@Injectable()
export class TurnReads {
  private pending?: Batch;
  /** A turn's reads serve many requests: they go out in no request's async context (its log id). */
  private readonly context = new AsyncResource('TurnReads');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  read<R>(statement: Statement<R>): Promise<R> {
    const { asked } = this.batch();
    return new Promise<R>((resolve, reject) => {
      asked.push({ statement, resolve: resolve as (answer: unknown) => void, reject });
    });
  }

  /** Runs `prelude` when this turn's reads are sent, before they are; reads it asks for join them. */
  beforeSending(prelude: () => void): void {
    this.batch().preludes.push(prelude);
  }

  private batch(): Batch {
    if (!this.pending) {
      this.pending = { preludes: [], asked: [] };
      setImmediate(() => this.context.runInAsyncScope(() => this.flush()));
    }
    return this.pending;
  }

  private flush(): void {
    const batch = this.pending!;
    try {
      for (const prelude of batch.preludes) prelude();
    } finally {
      // Whatever a prelude did, the next read starts a new turn's batch.
      this.pending = undefined;
    }
    for (let start = 0; start < batch.asked.length; start += MAX_STATEMENTS_PER_TRIP) {
      void this.send(batch.asked.slice(start, start + MAX_STATEMENTS_PER_TRIP));
    }
  }

  private async send(asked: Asked[]): Promise<void> {
    try {
      const answers = await runStatements(
        this.dataSource.manager,
        asked.map((a) => a.statement),
      );
      asked.forEach((a, i) => a.resolve(answers[i]));
    } catch (error) {
      // A failing statement stops the rest of a multi-statement query: each read is asked again on
      // its own, so that only the one at fault fails.
      if (asked.length === 1) return asked[0].reject(error);
      for (const a of asked) {
        runStatements(this.dataSource.manager, [a.statement]).then(([answer]) => a.resolve(answer), a.reject);
      }
    }
  }
}
