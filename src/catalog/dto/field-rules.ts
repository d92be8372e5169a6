import { ValidateIf } from 'class-validator';

/**
 * Optional in a PATCH, but not nullable: unlike `@IsOptional()`, which also skips `null`, an explicit
 * `null` still runs the field's rules and answers 1002 instead of reaching a NOT NULL column.
 */
export const IfPresent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** URLs we store and hand to browsers: http(s) only, with the scheme spelled out. */
export const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true };
