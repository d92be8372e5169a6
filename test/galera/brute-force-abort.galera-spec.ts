import type { Connection } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { SaleTransactions } from '../../src/database/sale-transactions';
import { writeStatement } from '../../src/database/statement';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { countersIn, insertCounter, readCounter } from '../support/counters';
import { galeraUrls } from '../support/galera-urls';
import { sleep } from '../support/ticketing';
import { bootTestApp, TestApp, unique } from '../support/test-app';

/**
 * A write committed through another node aborts a local transaction that holds the same row (a
 * brute-force abort), at any moment of it. Whatever the moment, the transaction is run again whole
 * and nothing of the aborted attempt stands (docs/ARCHITECTURE.md, "Several database nodes").
 */
describe('Galera: a transaction aborted by a write from another node', () => {
  let t: TestApp;
  let sales: SaleTransactions;
  let otherNode: Connection;

  beforeAll(async () => {
    t = await bootTestApp();
    sales = t.app.get(SaleTransactions);
    otherNode = await createConnection({ uri: galeraUrls(process.env.TEST_GALERA_DATABASE)[1] });
  });

  afterAll(async () => {
    await otherNode.end();
    await t.close();
  });

  const givenHotRow = async () => {
    const hot = unique('hot-');
    await sales.run((tx) => tx.send(insertCounter(hot)));
    return hot;
  };
  const bump = (target: string, by: number) =>
    writeStatement('UPDATE code_targets SET sent_today = sent_today + :by WHERE target = :target', { target, by });
  /** Commits on node 2 while node 1's transaction holds the row: node 1 must give way to it. */
  const writeThroughOtherNode = (target: string) =>
    otherNode.query('UPDATE code_targets SET sent_today = sent_today + 100 WHERE target = ?', [target]);

  it('should know it runs on a Galera node', () => {
    expect(t.app.get(TransactionRunner).galera).toBe(true);
  });

  it('should run again whole when the abort lands in the middle of what one tick sent', async () => {
    const hot = await givenHotRow();
    const [before, after] = [unique('before-'), unique('after-')];
    let attempts = 0;
    await sales.run(async (tx) => {
      attempts++;
      const conflict = attempts === 1 ? sleep(300).then(() => writeThroughOtherNode(hot)) : undefined;
      // One tick: sent together. The other node's write lands while the SLEEP runs.
      await Promise.all([
        tx.send(bump(hot, 1)),
        tx.send(insertCounter(before)),
        tx.send(writeStatement('DO SLEEP(1)', {})),
        tx.send(insertCounter(after)),
      ]);
      await conflict;
    });
    expect(attempts).toBe(2);
    expect((await countersIn(t.db, [before, after])).sort()).toEqual([after, before].sort());
    expect(await sales.run((tx) => tx.send(readCounter(hot)))).toBe(101);
  });

  it('should run again whole when the abort lands between two round trips', async () => {
    const hot = await givenHotRow();
    const later = unique('later-');
    let attempts = 0;
    await sales.run(async (tx) => {
      attempts++;
      await tx.send(bump(hot, 1));
      if (attempts === 1) await writeThroughOtherNode(hot);
      await tx.send(insertCounter(later));
    });
    expect(attempts).toBe(2);
    expect(await countersIn(t.db, [later])).toEqual([later]);
    expect(await sales.run((tx) => tx.send(readCounter(hot)))).toBe(101);
  });
});
