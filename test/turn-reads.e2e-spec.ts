import { TurnBatcher } from '../src/common/turn-batcher';
import { runStatements } from '../src/database/raw-sql';
import { readStatement } from '../src/database/statement';
import { TransactionRunner } from '../src/database/transaction-runner';
import { TurnReads } from '../src/database/turn-reads';
import { insertCounter, readCounter } from './support/counters';
import { bootTestApp, TestApp, unique } from './support/test-app';

/**
 * Reads of one event-loop turn sent together (TurnReads): on MySQL one multi-statement round trip
 * from the pool, on SQLite one after another; each answered through its own decoder, and each
 * seeing every commit made before it was asked.
 */
describe('TurnReads', () => {
  let t: TestApp;
  let reads: TurnReads;
  let runner: TransactionRunner;
  let roundTrips: () => number;

  beforeAll(async () => {
    t = await bootTestApp();
    reads = t.app.get(TurnReads);
    runner = t.app.get(TransactionRunner);
    const pool = (t.db.driver as unknown as { pool?: { query: (...args: unknown[]) => unknown } }).pool;
    let sent = 0;
    if (pool) {
      const query = pool.query.bind(pool);
      pool.query = (...args: unknown[]) => {
        sent++;
        return query(...args);
      };
    }
    roundTrips = () => sent;
  });

  afterAll(async () => {
    await t.close();
  });

  const isMysql = () => t.db.options.type === 'mysql' || t.db.options.type === 'mariadb';
  const addTarget = (target: string, sentToday: number) =>
    runner.run((manager) => runStatements(manager, [insertCounter(target, sentToday)]));

  it('should answer every read of a turn through its own decoder, in one round trip on MySQL', async () => {
    const [a, b] = [unique('turn-'), unique('turn-')];
    await addTarget(a, 1);
    await addTarget(b, 2);
    const before = roundTrips();
    const answers = await Promise.all([
      reads.read(readCounter(a)),
      reads.read(readCounter(b)),
      reads.read(readCounter('none')),
    ]);
    expect(answers).toEqual([1, 2, null]);
    if (isMysql()) expect(roundTrips() - before).toBe(1);
  });

  it('should send a keyed loader of the turn in the same round trip as the plain reads', async () => {
    const [a, b] = [unique('turn-'), unique('turn-')];
    await addTarget(a, 5);
    await addTarget(b, 6);
    const loader = new TurnBatcher<string, number>(
      (targets) =>
        reads.read(
          readStatement<{ target: string; sent_today: number | string }, Map<string, number>>(
            'SELECT target, sent_today FROM code_targets WHERE target IN (:...targets)',
            { targets },
            (rows) => new Map(rows.map((row) => [row.target, Number(row.sent_today)])),
          ),
        ),
      (load) => reads.beforeSending(load),
    );
    const before = roundTrips();
    const answers = await Promise.all([loader.load(a), reads.read(readCounter(b)), loader.load(b), loader.load(a)]);
    expect(answers).toEqual([5, 6, 6, 5]);
    if (isMysql()) expect(roundTrips() - before).toBe(1);
  });

  it('should fail only the read at fault, and still answer the others of its turn', async () => {
    const target = unique('turn-');
    await addTarget(target, 7);
    const broken = readStatement('SELECT no_such_column FROM code_targets', {});
    const [good, bad, alsoGood] = await Promise.allSettled([
      reads.read(readCounter(target)),
      reads.read(broken),
      reads.read(readCounter(target)),
    ]);
    expect(good).toEqual({ status: 'fulfilled', value: 7 });
    expect(alsoGood).toEqual({ status: 'fulfilled', value: 7 });
    expect(bad.status).toBe('rejected');
  });

  it('should see a commit made before the read was asked', async () => {
    const target = unique('turn-');
    const early = reads.read(readCounter(target));
    await expect(early).resolves.toBeNull();
    await addTarget(target, 9);
    await expect(reads.read(readCounter(target))).resolves.toBe(9);
  });
});
