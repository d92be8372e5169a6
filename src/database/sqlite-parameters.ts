import type { Driver, ObjectLiteral } from 'typeorm';

type PatchedDriver = Driver & { __ttmsBindsIntegers?: true };

/**
 * TypeORM's SQLite driver (AbstractSqliteDriver.escapeQueryWithParameters, 0.3.x) writes a number
 * parameter into the SQL text (`WHERE "id" = 63`), so every id makes a new statement text and
 * better-sqlite3's statement cache (100 texts, keyed by SQL) never hits: a rush prepared thousands
 * of statements. The same function binds a BigInt as a `?` parameter, and SQLite binds a BigInt
 * as an INTEGER, exactly what the inlined literal was; so safe integers are handed over as BigInt.
 * Floats stay inlined as before. Results are unchanged: better-sqlite3 returns numbers unless
 * safeIntegers is on, and it is not.
 */
export function bindIntegerParameters(driver: Driver): void {
  const patched = driver as PatchedDriver;
  if (patched.__ttmsBindsIntegers) return;
  const escape = driver.escapeQueryWithParameters.bind(driver);
  patched.escapeQueryWithParameters = (sql: string, parameters: ObjectLiteral, nativeParameters: ObjectLiteral) => {
    let bound: ObjectLiteral | undefined;
    for (const key of Object.keys(parameters ?? {})) {
      const value: unknown = parameters[key];
      if (typeof value === 'number' && Number.isSafeInteger(value)) {
        bound ??= { ...parameters };
        bound[key] = BigInt(value);
      }
    }
    return escape(sql, bound ?? parameters, nativeParameters);
  };
  patched.__ttmsBindsIntegers = true;
}
