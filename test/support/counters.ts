import type { DataSource } from 'typeorm';
import { selectRows } from '../../src/database/raw-sql';
import { PREVIOUS_INSERT_ID, readStatement, writeStatement } from '../../src/database/statement';

/**
 * Statements on code_targets, a table with no foreign keys and a unique text key: what the tests of
 * the statement machinery write and read.
 */
export const insertCounter = (target: string, sentToday: number | typeof PREVIOUS_INSERT_ID = 0) =>
  writeStatement(
    "INSERT INTO code_targets (target, last_sent_at, day, sent_today) VALUES (:target, :now, '2026-01-01', :sentToday)",
    { target, now: new Date(), sentToday },
  );

export const readCounter = (target: string) =>
  readStatement<{ sent_today: number | string }, number | null>(
    'SELECT sent_today FROM code_targets WHERE target = :target',
    { target },
    ([row]) => (row ? Number(row.sent_today) : null),
  );

/** Which of these counters the database holds (committed rows only, read outside any transaction). */
export const countersIn = async (db: DataSource, targets: string[]) =>
  (
    await selectRows<{ target: string }>(db.manager, 'SELECT target FROM code_targets WHERE target IN (:...targets)', {
      targets,
    })
  ).map((row) => row.target);
