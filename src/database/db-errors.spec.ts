import { QueryFailedError } from 'typeorm';
import { isDuplicateKeyError, mayHaveCommitted } from './db-errors';

const mysqlError = (fields: Record<string, unknown>) =>
  new QueryFailedError('COMMIT', [], Object.assign(new Error('driver'), fields));

describe('db-errors', () => {
  it('should tell a statement the database refused (no commit reached) from a lost connection', () => {
    const duplicate = mysqlError({ code: 'ER_DUP_ENTRY', errno: 1062, fatal: false });
    expect(isDuplicateKeyError(duplicate)).toBe(true);
    expect(mayHaveCommitted(duplicate)).toBe(false);
    expect(mayHaveCommitted(mysqlError({ code: 'ER_LOCK_DEADLOCK', errno: 1213 }))).toBe(false);
    expect(mayHaveCommitted(mysqlError({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }))).toBe(true);
    expect(mayHaveCommitted(mysqlError({ code: 'ETIMEDOUT', errno: -110, fatal: true }))).toBe(true);
    expect(mayHaveCommitted(new Error('socket hang up'))).toBe(true);
  });

  it('should never take an SQLite error for a possible commit: SQLite commits after the statements returned', () => {
    expect(mayHaveCommitted(Object.assign(new Error('UNIQUE'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false);
    expect(mayHaveCommitted(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe(false);
  });
});
