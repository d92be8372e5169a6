import type { Role } from '../common/decorators/auth.decorators';
import { readStatement, Statement } from '../database/statement';

/** What the auth guard reads of a token's user on every authenticated request. */
export interface SessionAccount {
  role: Role;
  tokenVersion: number;
  disabled: boolean;
}

interface SessionAccountRow {
  id: number | string;
  role: Role;
  token_version: number | string;
  disabled: number | boolean;
}

/**
 * The users among `userIds`, as a statement rather than a query run here: the guard sends it with
 * its own revoked-token read in one round trip. Fixed SQL, since it runs for every tick with
 * authenticated requests.
 */
export function sessionAccountsStatement(userIds: number[]): Statement<Map<number, SessionAccount>> {
  return readStatement<SessionAccountRow, Map<number, SessionAccount>>(
    'SELECT u.id, u.role, u.token_version, u.disabled FROM users u WHERE u.id IN (:...userIds)',
    { userIds },
    (rows) =>
      new Map(
        rows.map((r) => [
          Number(r.id),
          { role: r.role, tokenVersion: Number(r.token_version), disabled: Boolean(Number(r.disabled)) },
        ]),
      ),
  );
}
