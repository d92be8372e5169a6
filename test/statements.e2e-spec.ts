import { CodeTarget } from '../src/auth/entities/code-target.entity';
import { runStatements } from '../src/database/raw-sql';
import { PREVIOUS_INSERT_ID, writeStatement } from '../src/database/statement';
import { TransactionRunner } from '../src/database/transaction-runner';
import { countersIn, insertCounter, readCounter } from './support/counters';
import { bootTestApp, TestApp, unique } from './support/test-app';

/**
 * Statements sent together (runStatements): on MySQL one multi-statement round trip; on SQLite
 * one after another.
 */
describe('runStatements', () => {
  let t: TestApp;
  let runner: TransactionRunner;

  beforeAll(async () => {
    t = await bootTestApp();
    runner = t.app.get(TransactionRunner);
  });

  afterAll(async () => {
    await t.close();
  });

  const countersNamed = (...targets: string[]) => countersIn(t.db, targets);

  it('should answer each statement in order, each read through its own decoder', async () => {
    const target = unique('batch-');
    const answers = await runner.run((manager) =>
      runStatements(manager, [
        insertCounter(target, 3),
        readCounter(target),
        writeStatement('UPDATE code_targets SET sent_today = sent_today + 1 WHERE target = :target', { target }),
        readCounter(target),
      ]),
    );
    expect(answers).toEqual([expect.objectContaining({ affected: 1 }), 3, expect.objectContaining({ affected: 1 }), 4]);
  });

  it('should undo the whole transaction, earlier round trips included, when a statement of a batch fails', async () => {
    const [first, second] = [unique('undo-'), unique('undo-')];
    const failing = runner.run(async (manager) => {
      await runStatements(manager, [insertCounter(first)]);
      // The duplicate fails the batch: `second` was written before it, in the same round trip.
      await runStatements(manager, [insertCounter(second), insertCounter(first), readCounter(first)]);
    });
    await expect(failing).rejects.toMatchObject({ driverError: expect.anything() });
    expect(await countersNamed(first, second)).toEqual([]);
  });

  it('should bind PREVIOUS_INSERT_ID to the id that the INSERT just before generated', async () => {
    const target = unique('linked-');
    const [code, linked] = await runner.run((manager) =>
      runStatements(manager, [
        writeStatement(
          `INSERT INTO verification_codes (target, purpose, code_hash, expires_at, created_at)
             VALUES (:target, 'register', 'hash', :now, :now)`,
          { target, now: new Date() },
        ),
        insertCounter(target, PREVIOUS_INSERT_ID),
        readCounter(target),
      ]).then(([inserted, , counter]) => [inserted.insertId, counter]),
    );
    expect(code).toBeGreaterThan(0);
    expect(linked).toBe(code);
  });

  it('should refuse PREVIOUS_INSERT_ID where no INSERT comes just before it', async () => {
    const [afterRead, afterUpdate] = [unique('orphan-'), unique('orphan-')];
    const afterReadFails = runner.run((manager) =>
      runStatements(manager, [readCounter(afterRead), insertCounter(afterRead, PREVIOUS_INSERT_ID)]),
    );
    await expect(afterReadFails).rejects.toThrow('follows no INSERT');
    // An UPDATE leaves the id of whatever came before it (on MySQL, the seat version it returned).
    const afterUpdateFails = runner.run((manager) =>
      runStatements(manager, [
        writeStatement('UPDATE code_targets SET sent_today = sent_today WHERE target = :target', {
          target: afterUpdate,
        }),
        insertCounter(afterUpdate, PREVIOUS_INSERT_ID),
      ]),
    );
    await expect(afterUpdateFails).rejects.toThrow('follows no INSERT');
    expect(await countersNamed(afterRead, afterUpdate)).toEqual([]);
  });

  it('should open the transaction for TypeORM statements too, and roll them back with the batches', async () => {
    const [viaTypeorm, viaBatch] = [unique('orm-'), unique('raw-')];
    const failing = runner.run(async (manager) => {
      await manager
        .getRepository(CodeTarget)
        .insert({ target: viaTypeorm, lastSentAt: new Date(), day: '2026-01-01', sentToday: 0 });
      await runStatements(manager, [insertCounter(viaBatch)]);
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await countersNamed(viaTypeorm, viaBatch)).toEqual([]);
  });
});
