import { Transform } from 'class-transformer';

/** Leading and trailing blanks are never meant: trim before the length and emptiness checks. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
