import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ResultCode, ResultCodeEntry } from '../result-code';

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
  // OpenAPI 3.0: `nullable` only beside a `type`, never beside a `$ref`.
  if (shape === null) return { type: 'object', nullable: true, description: 'always null', example: null };
  if (shape === 'boolean-map') return { type: 'object', additionalProperties: { type: 'boolean' } };
  if (Array.isArray(shape)) return { type: 'array', items: { $ref: getSchemaPath(shape[0]) } };
  return { $ref: getSchemaPath(shape) };
}

/**
 * The whole envelope for one answer. Each response states its own `data` rather than composing the
 * generic EnvelopeDto with `allOf`: its loosely typed `data` beside a list's array is a schema no
 * answer could satisfy once a client generator reads it strictly.
 */
export function envelopeSchema(
  code: SchemaObject,
  data: SchemaObject | ReferenceObject,
  paged = false,
  example?: unknown,
): SchemaObject {
  const properties: Record<string, SchemaObject | ReferenceObject> = {
    code,
    msg: { type: 'string', example: 'ok' },
    data,
  };
  if (paged) {
    properties.total = { type: 'integer', example: 42, description: 'items across all pages' };
  }
  return {
    type: 'object',
    properties,
    required: paged ? ['code', 'msg', 'data', 'total'] : ['code', 'msg', 'data'],
    ...(example === undefined ? {} : { example }),
  };
}

/**
 * Documents a handler's success as the envelope wrapping its own data type, and each error code it
 * can answer under its HTTP status, so front-end teams read the real payloads in Swagger UI.
 */
export function ApiEnvelope(shape: DataShape, options: EnvelopeOptions = {}) {
  const models = [
    FieldErrorDto,
    ...(shape && typeof shape !== 'string' ? [Array.isArray(shape) ? shape[0] : shape] : []),
  ];
  const data = dataSchema(
    options.paged && shape && !Array.isArray(shape) && typeof shape !== 'string' ? [shape] : shape,
  );
  return applyDecorators(
    ApiExtraModels(...models),
    ApiResponse({
      status: options.status ?? 200,
      description: options.description ?? 'success (code 1000)',
      schema: envelopeSchema(
        { type: 'integer', enum: [ResultCode.Success.code], example: ResultCode.Success.code },
        data,
        options.paged,
      ),
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
    ApiExtraModels(FieldErrorDto),
    ...[...byStatus.entries()].map(([status, entries]) =>
      ApiResponse({
        status,
        description: entries.map((e) => `${e.code}: ${e.msg}`).join('; '),
        schema: errorEnvelopeSchema(entries),
      }),
    ),
  );
}

/** The envelope of an error answer with one of these codes. */
export function errorEnvelopeSchema(entries: ResultCodeEntry[]): SchemaObject {
  return envelopeSchema(
    { type: 'integer', enum: entries.map((e) => e.code), example: entries[0].code },
    errorData(entries),
    false,
    // Without it Swagger UI would show a made-up example under every error status.
    { code: entries[0].code, msg: entries[0].msg, data: null },
  );
}

/** `data` on an error answer: null, or on 1002 the list of field errors (null when none is named). */
function errorData(entries: ResultCodeEntry[]): SchemaObject {
  if (entries.includes(ResultCode.InvalidParams)) {
    return {
      type: 'array',
      nullable: true,
      items: { $ref: getSchemaPath(FieldErrorDto) },
      description: 'on 1002, the fields at fault; otherwise null',
    };
  }
  return { type: 'object', nullable: true, description: 'null on errors', example: null };
}

export const RAW_ANSWER_EXTENSION = 'x-ttms-raw-answer';

/** A success answered as raw bytes of `contentType` instead of the envelope (a query asked for it). */
export interface RawAnswer {
  contentType: string;
  schema: SchemaObject;
  headers?: Record<string, { description: string; schema: SchemaObject }>;
}

/**
 * Documents that the 200 answer may instead be `answer.contentType` raw (e.g. `?format=svg`): the
 * document then names that content with its own schema and headers, not the envelope's.
 */
export const ApiRawAnswer = (answer: RawAnswer) => ApiExtension(RAW_ANSWER_EXTENSION, answer);
