import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CodeTarget } from '../src/auth/entities/code-target.entity';
import { TransactionRunner } from '../src/database/transaction-runner';
import { bootTestApp, TestApp, unique } from './support/test-app';

// SQLite only: MySQL has no WAL file of ours to checkpoint.
const onSqlite = process.env.TEST_DB_KIND === 'mysql' ? describe.skip : describe;

onSqlite('SQLite WAL checkpoints from a worker thread', () => {
  let t: TestApp;
  const mainFile = () => join(t.dir, 'ttms.sqlite');
  // In WAL mode only a checkpoint writes the main file.
  const mainFileStamp = () => statSync(mainFile()).mtimeMs;
  const writeSomeRows = async () => {
    for (let i = 0; i < 20; i++) {
      await t.db
        .getRepository(CodeTarget)
        .insert({ target: unique('wal-'), lastSentAt: new Date(), day: '2026-01-01', sentToday: i });
    }
  };
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    t = await bootTestApp({ SQLITE_CHECKPOINT_MS: '50' });
  });

  afterAll(async () => {
    await t.close();
  });

  const autocheckpointMark = async () =>
    (await t.db.query<{ wal_autocheckpoint: number }[]>('PRAGMA wal_autocheckpoint'))[0].wal_autocheckpoint;

  it('should copy committed pages into the database file in the background, not in a commit', async () => {
    // No write transaction yet: no thread, SQLite checkpoints as usual.
    expect(await autocheckpointMark()).toBe(1000);
    await t.app
      .get(TransactionRunner)
      .run((manager) =>
        manager
          .getRepository(CodeTarget)
          .insert({ target: unique('wal-'), lastSentAt: new Date(), day: '2026-01-01', sentToday: 0 }),
      );
    await settle(50);
    expect(await autocheckpointMark()).toBe(8000);

    await settle(200);
    const before = mainFileStamp();
    await writeSomeRows();
    const deadline = Date.now() + 3000;
    while (mainFileStamp() === before && Date.now() < deadline) await settle(25);
    expect(mainFileStamp()).not.toBe(before);

    // With the worker stopped, the same writes stay in the WAL: the checkpoints above were its own.
    await t.app.get(TransactionRunner).onModuleDestroy();
    await settle(200);
    const quiet = mainFileStamp();
    await writeSomeRows();
    await settle(400);
    expect(mainFileStamp()).toBe(quiet);
    const rows = await t.db.getRepository(CodeTarget).count();
    expect(rows).toBeGreaterThanOrEqual(41);
  });
});
