import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';

/** Leading and trailing blanks are never meant: trim before the length and emptiness checks. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * Optional in a PATCH, but not nullable: unlike `@IsOptional()`, which also skips `null`, an explicit
 * `null` still runs the field's rules and answers 1002 instead of reaching a NOT NULL column.
 */
export const IfPresent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** URLs we store and hand to browsers: http(s) only, with the scheme spelled out. */
export const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true };
