import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { registerFastPath } from './fast-validation';

/** A positive integer id in the path; anything else answers 1002 naming `id`, not a bare 400. */
export class IdParam {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  id!: number;
}

const PLAIN_ID = /^[1-9][0-9]{0,9}$/;

// Path ids are on every hot route (seat map, pay); leading zeros, signs, spaces and the rest go the whole way.
registerFastPath(IdParam, (value) => {
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 1) return undefined;
  const id = (value as { id?: unknown }).id;
  if (typeof id !== 'string' || !PLAIN_ID.test(id) || Number(id) > 2_147_483_647) return undefined;
  return Object.assign(new IdParam(), { id: Number(id) });
});
