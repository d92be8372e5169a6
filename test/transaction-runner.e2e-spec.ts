import { CodeTarget } from '../src/auth/entities/code-target.entity';
import { selectRows } from '../src/database/raw-sql';
import { TransactionRunner } from '../src/database/transaction-runner';
import { bootTestApp, TestApp, unique } from './support/test-app';

describe('TransactionRunner', () => {
  let t: TestApp;
  let runner: TransactionRunner;

  beforeAll(async () => {
    t = await bootTestApp();
    runner = t.app.get(TransactionRunner);
  });

  afterAll(async () => {
    await t.close();
  });

  const givenCounter = async () => {
    const target = unique('counter-');
    await t.db.getRepository(CodeTarget).insert({ target, lastSentAt: new Date(), day: '2026-01-01', sentToday: 0 });
    return target;
  };

  const readCount = async (target: string) =>
    (await t.db.getRepository(CodeTarget).findOneByOrFail({ target })).sentToday;

  it('should keep 40 racing read-modify-write transactions from losing an update', async () => {
    const target = await givenCounter();
    await Promise.all(
      Array.from({ length: 40 }, () =>
        runner.run(async (manager) => {
          const row = await runner
            .forUpdate(
              manager.getRepository(CodeTarget).createQueryBuilder('c').where('c.target = :target', { target }),
            )
            .getOneOrFail();
          await new Promise((resolve) => setImmediate(resolve));
          await manager.getRepository(CodeTarget).update({ target }, { sentToday: row.sentToday + 1 });
        }),
      ),
    );
    expect(await readCount(target)).toBe(40);
  });

  // MySQL only: SQLite transactions queue one at a time, so nothing commits in the middle of one.
  const onMysql = process.env.TEST_DB_KIND === 'mysql' ? it : it.skip;
  onMysql('should read what others committed meanwhile (READ COMMITTED), transaction after transaction', async () => {
    // Pooled connections are reused: the level must hold on every one, not only on the first use.
    for (let round = 1; round <= 12; round++) {
      const target = await givenCounter();
      const seen = await runner.run(async (manager) => {
        const count = async () => (await manager.getRepository(CodeTarget).findOneByOrFail({ target })).sentToday;
        const before = await count();
        await t.db.getRepository(CodeTarget).update({ target }, { sentToday: round });
        return [before, await count()];
      });
      // Under REPEATABLE READ (MySQL's default) the second read would still see the first one's snapshot.
      expect(seen).toEqual([0, round]);
    }
  });

  onMysql('should set up every pooled connection the same way, inside transactions and outside', async () => {
    // Twelve at once: the pool opens connections of its own for them, besides the ones it already had.
    const level = 'SELECT @@SESSION.tx_isolation AS level, @@SESSION.wsrep_sync_wait AS syncWait';
    const outside = await Promise.all(Array.from({ length: 12 }, () => t.db.query<object[]>(level)));
    const inside = await Promise.all(Array.from({ length: 12 }, () => runner.run((manager) => manager.query(level))));
    // This server is no Galera node: causal reads stay off (they are on when @@wsrep_on is, e2e-galera).
    const expected = { level: 'READ-COMMITTED', syncWait: runner.galera ? 1 : 0 };
    for (const [row] of [...outside, ...inside]) expect({ ...row, syncWait: Number(row.syncWait) }).toEqual(expected);
  });

  it('should roll back a failed transaction without taking a concurrent write down with it', async () => {
    const target = await givenCounter();
    const failing = runner.run(async (manager) => {
      await manager.getRepository(CodeTarget).update({ target }, { sentToday: 100 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('boom');
    });
    const other = unique('other-');
    const outsideWrite = t.db
      .getRepository(CodeTarget)
      .insert({ target: other, lastSentAt: new Date(), day: '2026-01-01', sentToday: 7 });
    await expect(failing).rejects.toThrow('boom');
    await outsideWrite;
    expect(await readCount(target)).toBe(0);
    expect(await readCount(other)).toBe(7);
  });

  it('should not let a read outside see what an open transaction has not committed', async () => {
    const target = await givenCounter();
    let updated!: () => void;
    let release!: () => void;
    const whenUpdated = new Promise<void>((resolve) => (updated = resolve));
    const whenReleased = new Promise<void>((resolve) => (release = resolve));
    const transaction = runner.run(async (manager) => {
      await manager.getRepository(CodeTarget).update({ target }, { sentToday: 5 });
      updated();
      await whenReleased;
    });
    await whenUpdated;
    let readDuring: number | undefined;
    const outsideRead = readCount(target).then((n) => (readDuring = n));
    await new Promise((resolve) => setTimeout(resolve, 30));
    // SQLite makes the read wait for the commit; MySQL answers the committed value at once.
    expect([undefined, 0]).toContain(readDuring);
    release();
    await transaction;
    await outsideRead;
    expect(await readCount(target)).toBe(5);
  });

  it('should keep a fixed-SQL read outside from seeing what an open transaction wrote and then rolled back', async () => {
    const target = await givenCounter();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const failing = runner.run(async (manager) => {
      await manager.getRepository(CodeTarget).update({ target }, { sentToday: 9 });
      await held;
      throw new Error('rolled back');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const read = selectRows<{ sent_today: number | string }>(
      t.db.manager,
      'SELECT sent_today FROM code_targets WHERE target = :target',
      { target },
    );
    setTimeout(release, 30);
    await expect(failing).rejects.toThrow('rolled back');
    expect((await read).map((row) => Number(row.sent_today))).toEqual([0]);
  });
});
