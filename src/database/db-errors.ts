/** Driver-neutral reading of the database errors the services act on. */
interface DriverError {
  code?: string;
  errno?: number;
  driverError?: { code?: string; errno?: number };
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

/** Which unique index a duplicate-key error hit, so a service can map it to its business code. */
export function duplicateKeyIndex(error: unknown): string {
  const message = (error as Error)?.message ?? '';
  const mysql = /for key '(?:[^.']*\.)?([^']+)'/.exec(message);
  if (mysql) return mysql[1];
  const sqlite = /UNIQUE constraint failed: (.+)$/.exec(message);
  return sqlite ? sqlite[1] : '';
}
