import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** A positive integer id in the path; anything else answers 1002 naming `id`, not a bare 400. */
export class IdParam {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  id!: number;
}
