import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ResultCode } from '../common/result-code';
import { ApiErrors } from '../common/swagger/api-envelope';
import { IdempotencyGuard } from './idempotency.guard';

/** Marks a handler as safe to retry with an `Idempotency-Key` header (CONTRACT section 10). */
export const Idempotent = () =>
  applyDecorators(
    UseGuards(IdempotencyGuard),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Optional, 1-64 characters of A-Z a-z 0-9 - _. A retry with the same key, method, path and body within ' +
        '24 hours answers exactly what the first request answered, with header `Idempotent-Replayed: true`, and ' +
        'does the work once. The same key with another request, or while the first still runs: 2010.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    }),
    ApiErrors(ResultCode.IdempotencyConflict),
  );
