import { EntityManager, In } from 'typeorm';
import { CodeTarget } from '../src/auth/entities/code-target.entity';
import { TransactionRunner } from '../src/database/transaction-runner';
import { bootTestApp, TestApp, unique } from './support/test-app';

type Work = (manager: EntityManager) => Promise<void>;

const onSqlite = process.env.TEST_DB_KIND !== 'mysql';
const sqliteOnly = onSqlite ? it : it.skip;
const mysqlOnly = onSqlite ? it.skip : it;

/**
 * The transactions TypeORM's documentation shows, used as a contributor would: each one either
 * holds (a throw undoes all of it) or refuses loudly. On SQLite the app shares one connection (see
 * SqliteSerializer), which is where a transaction could silently stop being one.
 */
describe(`TypeORM's own transactions (${onSqlite ? 'SQLite' : 'MySQL/MariaDB'})`, () => {
  let t: TestApp;
  let runner: TransactionRunner;

  beforeAll(async () => {
    t = await bootTestApp();
    runner = t.app.get(TransactionRunner);
  });

  afterAll(async () => {
    await t.close();
  });

  const insert = (manager: EntityManager, target: string) =>
    manager.getRepository(CodeTarget).insert({ target, lastSentAt: new Date(), day: '2026-01-01', sentToday: 0 });

  /** Which of these rows exist, read afterwards outside any transaction. */
  const stored = async (...targets: string[]) =>
    (await t.db.getRepository(CodeTarget).findBy({ target: In(targets) })).map((row) => row.target).sort();

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** The query runner pattern of TypeORM's docs ("Using QueryRunner to create and control state of single database connection"). */
  const withQueryRunner = async (work: Work) => {
    const queryRunner = t.db.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      try {
        await work(queryRunner.manager);
        await queryRunner.commitTransaction();
      } catch (error) {
        await queryRunner.rollbackTransaction();
        throw error;
      }
    } finally {
      await queryRunner.release();
    }
  };

  describe.each<[string, (work: Work) => Promise<void>]>([
    ['dataSource.transaction()', (work) => t.db.transaction(work)],
    ['dataSource.manager.transaction()', (work) => t.db.manager.transaction(work)],
    [
      "a repository's manager.transaction() with an isolation level",
      (work) => t.db.getRepository(CodeTarget).manager.transaction('SERIALIZABLE', work),
    ],
  ])('%s', (_name, transaction) => {
    it('should leave no row behind when the work throws after inserting', async () => {
      const [first, second] = [unique('tx-'), unique('tx-')];
      await expect(
        transaction(async (manager) => {
          await insert(manager, first);
          await insert(manager, second);
          throw new Error('undo both');
        }),
      ).rejects.toThrow('undo both');
      expect(await stored(first, second)).toEqual([]);
    });

    it('should keep the rows of work that returns', async () => {
      const [first, second] = [unique('tx-'), unique('tx-')].sort();
      await transaction(async (manager) => {
        await insert(manager, first);
        await insert(manager, second);
      });
      expect(await stored(first, second)).toEqual([first, second]);
    });

    it('should undo a save() and a remove() inside it with the rest', async () => {
      const [kept, saved] = [unique('tx-'), unique('tx-')];
      await insert(t.db.manager, kept);
      await expect(
        transaction(async (manager) => {
          const repository = manager.getRepository(CodeTarget);
          await repository.save(repository.create({ target: saved, lastSentAt: new Date(), day: '2026-01-01' }));
          await repository.remove(await repository.findOneByOrFail({ target: kept }));
          throw new Error('undo both');
        }),
      ).rejects.toThrow('undo both');
      expect(await stored(kept, saved)).toEqual([kept]);
    });
  });

  describe("a query runner's startTransaction()", () => {
    mysqlOnly('should roll back what it wrote when the work throws, and keep what a commit ends', async () => {
      const [undone, kept] = [unique('qr-'), unique('qr-')];
      await expect(
        withQueryRunner(async (manager) => {
          await insert(manager, undone);
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      await withQueryRunner((manager) => insert(manager, kept).then(() => undefined));
      expect(await stored(undone, kept)).toEqual([kept]);
    });

    // One shared connection: statements after it could not be told from other requests' statements.
    sqliteOnly(
      'should refuse outside a transaction, pointing at TransactionRunner.run, having written nothing',
      async () => {
        const target = unique('qr-');
        await expect(withQueryRunner((manager) => insert(manager, target).then(() => undefined))).rejects.toThrow(
          /startTransaction\(\) outside a transaction.*TransactionRunner\.run/s,
        );
        const queryRunner = t.db.createQueryRunner();
        await expect(queryRunner.commitTransaction()).rejects.toThrow(/TransactionRunner\.run/);
        await expect(queryRunner.rollbackTransaction()).rejects.toThrow(/TransactionRunner\.run/);
        expect(await stored(target)).toEqual([]);
      },
    );

    it("should refuse to end TransactionRunner's own transaction from inside its work", async () => {
      const target = unique('qr-');
      await expect(
        runner.run(async (manager) => {
          await insert(manager, target);
          await manager.queryRunner!.commitTransaction();
        }),
      ).rejects.toThrow(/commits when its work returns/);
      expect(await stored(target)).toEqual([]);
    });

    it('should be a savepoint inside TransactionRunner.run: its rollback undoes its own rows only', async () => {
      const [outer, inner, after] = [unique('qr-'), unique('qr-'), unique('qr-')].sort();
      await runner.run(async (manager) => {
        const queryRunner = manager.queryRunner!;
        await insert(manager, outer);
        await queryRunner.startTransaction();
        await insert(manager, inner);
        await queryRunner.rollbackTransaction();
        await queryRunner.startTransaction();
        await insert(manager, after);
        await queryRunner.commitTransaction();
      });
      expect(await stored(outer, inner, after)).toEqual([outer, after].sort());
    });
  });

  it("should make a manager's transaction() inside TransactionRunner.run undo only its own rows when it throws", async () => {
    const [outer, inner] = [unique('nest-'), unique('nest-')];
    await runner.run(async (manager) => {
      await insert(manager, outer);
      await expect(
        manager.transaction(async (nested) => {
          await insert(nested, inner);
          throw new Error('undo the inner one');
        }),
      ).rejects.toThrow('undo the inner one');
    });
    expect(await stored(outer, inner)).toEqual([outer]);
  });

  it('should still write with save() and remove() outside any transaction', async () => {
    const [saved, removed] = [unique('plain-'), unique('plain-')];
    const repository = t.db.getRepository(CodeTarget);
    await repository.save(repository.create({ target: saved, lastSentAt: new Date(), day: '2026-01-01' }));
    await insert(t.db.manager, removed);
    await repository.remove(await repository.findOneByOrFail({ target: removed }));
    expect(await stored(saved, removed)).toEqual([saved]);
  });

  describe('next to TransactionRunner work', () => {
    /** Two inserts with a pause between them, each noted when done: room for another to cut in. */
    const twoInserts = (events: string[], name: string, targets: string[]) => async (manager: EntityManager) => {
      for (const [i, target] of targets.entries()) {
        await insert(manager, target);
        events.push(`${name} ${i + 1}`);
        await pause(10);
      }
    };

    it.each([
      ['TransactionRunner work commits and dataSource.transaction() throws', 'typeorm'],
      ['dataSource.transaction() commits and TransactionRunner work throws', 'runner'],
    ])('should keep them apart when %s', async (_case, failing) => {
      const events: string[] = [];
      const ofRunner = [unique('runner-'), unique('runner-')];
      const ofTypeorm = [unique('typeorm-'), unique('typeorm-')];
      const outside = unique('outside-');
      const fail = (name: string, work: Work) => async (manager: EntityManager) => {
        await work(manager);
        if (failing === name) throw new Error(`${name} rolls back`);
      };
      const viaRunner = runner.run(fail('runner', twoInserts(events, 'runner', ofRunner)));
      const viaTypeorm = t.db.transaction(fail('typeorm', twoInserts(events, 'typeorm', ofTypeorm)));
      const settled = Promise.allSettled([viaRunner, viaTypeorm]);
      // A plain write outside both, sent while they are open: it must not be swept into a rollback.
      await pause(5);
      await insert(t.db.manager, outside);
      const outcomes = await settled;

      expect(outcomes.map((outcome) => outcome.status)).toEqual(
        failing === 'runner' ? ['rejected', 'fulfilled'] : ['fulfilled', 'rejected'],
      );
      const committed = failing === 'runner' ? ofTypeorm : ofRunner;
      expect(await stored(...ofRunner, ...ofTypeorm, outside)).toEqual([...committed, outside].sort());
      // One connection, so one transaction after the other, in the order they were asked for.
      if (onSqlite) expect(events).toEqual(['runner 1', 'runner 2', 'typeorm 1', 'typeorm 2']);
    });

    it('should keep each of many racing transactions whole, whichever API opened it', async () => {
      const apis: ((work: Work) => Promise<void>)[] = [
        (work) => runner.run(work),
        (work) => t.db.transaction(work),
        (work) => t.db.manager.transaction(work),
      ];
      const runs = Array.from({ length: 24 }, (_, i) => ({
        open: apis[i % apis.length],
        targets: [unique(`race${i}-`), unique(`race${i}-`)],
        fails: i % 4 === 1 || i % 4 === 2,
      }));
      const events: string[] = [];
      await Promise.allSettled(
        runs.map(({ open, targets, fails }, i) =>
          open(async (manager) => {
            await twoInserts(events, String(i), targets)(manager);
            if (fails) throw new Error('rolls back');
          }),
        ),
      );
      const expected = runs.filter((run) => !run.fails).flatMap((run) => run.targets);
      expect(await stored(...runs.flatMap((run) => run.targets))).toEqual(expected.sort());
      if (onSqlite) {
        expect(events).toEqual(runs.flatMap((_, i) => [`${i} 1`, `${i} 2`]));
      }
    });
  });
});
