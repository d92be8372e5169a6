import { ObjectLiteral } from 'typeorm';

export interface WriteResult {
  affected: number;
  /** After an INSERT, the id it generated. */
  insertId: number;
}

/**
 * One fixed SQL text with named `:params`, and how to read its answer. Statements are values, so
 * that a transaction can send several of them in one round trip (see runStatements).
 */
export interface Statement<R> {
  sql: string;
  params: ObjectLiteral;
  /** `rows`: a SELECT (or `RETURNING`); `write`: the affected row count and insert id. */
  kind: 'rows' | 'write';
  decode(answer: unknown[] | WriteResult): R;
}

/**
 * A parameter value meaning "the id that the statement just before this one, an INSERT of the same
 * batch, generated". MySQL reads it as `LAST_INSERT_ID()` on the server, within the round trip;
 * SQLite runs the batch one statement at a time and binds the id.
 */
export const PREVIOUS_INSERT_ID: unique symbol = Symbol('PREVIOUS_INSERT_ID');

export function readStatement<T>(sql: string, params: ObjectLiteral): Statement<T[]>;
export function readStatement<T, R>(sql: string, params: ObjectLiteral, decode: (rows: T[]) => R): Statement<R>;
export function readStatement<T, R>(sql: string, params: ObjectLiteral, decode?: (rows: T[]) => R): Statement<R> {
  return {
    sql,
    params,
    kind: 'rows',
    decode: decode ?? ((rows: T[]) => rows as unknown as R),
  };
}

export function writeStatement(sql: string, params: ObjectLiteral): Statement<WriteResult>;
export function writeStatement<R>(sql: string, params: ObjectLiteral, decode: (result: WriteResult) => R): Statement<R>;
export function writeStatement<R>(
  sql: string,
  params: ObjectLiteral,
  decode?: (result: WriteResult) => R,
): Statement<R> {
  return {
    sql,
    params,
    kind: 'write',
    decode: decode ?? ((result: WriteResult) => result as unknown as R),
  };
}

/** A piece of SQL with its own named parameters: a condition for a WHERE, or a subquery or count to embed. */
export interface SqlCondition {
  sql: string;
  params: ObjectLiteral;
}

/** The answers of a list of statements, each typed by its own statement. */
export type Answers<S extends readonly Statement<unknown>[]> = {
  -readonly [K in keyof S]: S[K] extends Statement<infer R> ? R : never;
};
