import { EntityManager } from 'typeorm';
import { runStatements } from './raw-sql';
import { Statement } from './statement';

interface Asked {
  statement: Statement<unknown>;
  resolve: (answer: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * One open transaction of the sale path, as repositories see it. Statements asked for in the same
 * tick of the event loop travel together, in the order they were asked, as one round trip (see
 * docs/ARCHITECTURE.md, "Round trips"): a service that awaits two repository calls with
 * `Promise.all` sends them together, one that awaits each sends them one by one.
 *
 * The query builders of `manager` run on the same transaction; await what was sent before mixing
 * the two, since their statements do not wait in this queue.
 */
export class Transaction {
  readonly startedAt = new Date();
  private asked: Asked[] = [];
  private sending: Promise<void> = Promise.resolve();
  private readonly committedSteps: (() => void)[] = [];

  constructor(readonly manager: EntityManager) {}

  get isMysql(): boolean {
    const { type } = this.manager.connection.options;
    return type === 'mysql' || type === 'mariadb';
  }

  send<R>(statement: Statement<R>): Promise<R> {
    const answer = new Promise<R>((resolve, reject) => {
      if (!this.asked.length) queueMicrotask(() => this.flush());
      this.asked.push({ statement, resolve: resolve as (answer: unknown) => void, reject });
    });
    // A failed round trip fails every statement in it; the transaction's own error reaches the
    // caller through the one it awaits, so the others must not end the process as unhandled.
    answer.catch(() => undefined);
    return answer;
  }

  /** Runs once the transaction has committed; never after a rollback (a change that did not happen is not announced). */
  afterCommit(step: () => void): void {
    this.committedSteps.push(step);
  }

  /** Until every statement asked for has been answered: the runner commits only then. */
  async settled(): Promise<void> {
    while (this.asked.length) await Promise.resolve();
    await this.sending;
  }

  runCommittedSteps(): void {
    for (const step of this.committedSteps) step();
  }

  private flush(): void {
    const batch = this.asked;
    this.asked = [];
    // One round trip at a time: a later one may depend on what an earlier one wrote.
    this.sending = this.sending.then(() =>
      runStatements(
        this.manager,
        batch.map((asked) => asked.statement),
      ).then(
        (answers) => batch.forEach((asked, i) => asked.resolve(answers[i])),
        (error: unknown) => batch.forEach((asked) => asked.reject(error)),
      ),
    );
  }
}
