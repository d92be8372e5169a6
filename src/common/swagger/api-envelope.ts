import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ResultCode, ResultCodeEntry } from '../result-code';

export class EnvelopeDto {
  @ApiProperty({ example: 1000, description: 'business code, see the code table' })
  code!: number;

  @ApiProperty({ example: 'ok' })
  msg!: string;

  @ApiProperty({ nullable: true, description: 'the payload; null on errors (field errors on 1002)' })
  data!: unknown;

  @ApiPropertyOptional({ example: 42, description: 'paginated lists only: items across all pages' })
  total?: number;
}

export class FieldErrorDto {
  @ApiProperty({ example: 'phone' })
  field!: string;

  @ApiProperty({ example: 'phone must be a mainland mobile number' })
  message!: string;
}

type DataShape = Type<unknown> | [Type<unknown>] | null | 'boolean-map';

interface EnvelopeOptions {
  status?: 200 | 201;
  paged?: boolean;
  description?: string;
  errors?: ResultCodeEntry[];
}

function dataSchema(shape: DataShape): SchemaObject | ReferenceObject {
  if (shape === null) return { nullable: true, example: null };
  if (shape === 'boolean-map') return { type: 'object', additionalProperties: { type: 'boolean' } };
  if (Array.isArray(shape)) return { type: 'array', items: { $ref: getSchemaPath(shape[0]) } };
  return { $ref: getSchemaPath(shape) };
}

/**
 * Documents a handler's success as the envelope wrapping its own data type, and each error code it
 * can answer under its HTTP status, so front-end teams read the real payloads in Swagger UI.
 */
export function ApiEnvelope(shape: DataShape, options: EnvelopeOptions = {}) {
  const models = [
    EnvelopeDto,
    FieldErrorDto,
    ...(shape && typeof shape !== 'string' ? [Array.isArray(shape) ? shape[0] : shape] : []),
  ];
  const properties: Record<string, SchemaObject | ReferenceObject> = {
    data: dataSchema(options.paged && shape && !Array.isArray(shape) && typeof shape !== 'string' ? [shape] : shape),
  };
  if (options.paged) properties.total = { type: 'integer', example: 42 };
  const required = options.paged ? ['code', 'msg', 'data', 'total'] : ['code', 'msg', 'data'];
  return applyDecorators(
    ApiExtraModels(...models),
    ApiResponse({
      status: options.status ?? 200,
      description: options.description ?? 'success (code 1000)',
      schema: { allOf: [{ $ref: getSchemaPath(EnvelopeDto) }, { type: 'object', properties, required }] },
    }),
    ApiErrors(ResultCode.InvalidParams, ...(options.errors ?? []), ResultCode.ServerError),
  );
}

/**
 * Lists the business codes a handler can answer, grouped by HTTP status. Decorators that each list
 * codes (`@Auth`, `@ApiEnvelope`) have their descriptions joined by Swagger, so each lists its own.
 */
export function ApiErrors(...codes: ResultCodeEntry[]) {
  const all = codes;
  const byStatus = new Map<number, ResultCodeEntry[]>();
  for (const entry of all) {
    const list = byStatus.get(entry.status) ?? [];
    if (!list.includes(entry)) list.push(entry);
    byStatus.set(entry.status, list);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, entries]) =>
      ApiResponse({
        status,
        description: entries.map((e) => `${e.code}: ${e.msg}`).join('; '),
        schema: {
          allOf: [
            { $ref: getSchemaPath(EnvelopeDto) },
            { type: 'object', properties: { code: { type: 'integer', enum: entries.map((e) => e.code) } } },
          ],
          // Without it Swagger UI would show the success example (code 1000) under every error status.
          example: { code: entries[0].code, msg: entries[0].msg, data: null },
        },
      }),
    ),
  );
}
