/** Driver-neutral reading of the database errors the services act on. */
interface DriverError {
  code?: string;
  errno?: number;
  fatal?: boolean;
  driverError?: { code?: string; errno?: number; fatal?: boolean };
}

function codeOf(error: unknown): { code?: string; errno?: number } {
  const e = error as DriverError;
  return { code: e?.driverError?.code ?? e?.code, errno: e?.driverError?.errno ?? e?.errno };
}

export function isDuplicateKeyError(error: unknown): boolean {
  const { code } = codeOf(error);
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Errors after which running the whole transaction again is the right answer. */
export function isRetryableTransactionError(error: unknown): boolean {
  const { code } = codeOf(error);
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}

/**
 * After a round trip that carried a COMMIT failed: true unless the database itself refused one of
 * its statements (and so never reached the COMMIT). A lost or timed-out MySQL connection leaves it
 * unknown whether the server committed. SQLite commits in process, after the statements returned.
 */
export function mayHaveCommitted(error: unknown): boolean {
  const e = error as DriverError;
  const driver = e?.driverError ?? e;
  if (typeof driver?.code === 'string' && driver.code.startsWith('SQLITE_')) return false;
  return typeof driver?.errno !== 'number' || driver.fatal === true;
}

/** Which unique index a duplicate-key error hit, so a service can map it to its business code. */
export function duplicateKeyIndex(error: unknown): string {
  const message = (error as Error)?.message ?? '';
  const mysql = /for key '(?:[^.']*\.)?([^']+)'/.exec(message);
  if (mysql) return mysql[1];
  const sqlite = /UNIQUE constraint failed: (.+)$/.exec(message);
  return sqlite ? sqlite[1] : '';
}
