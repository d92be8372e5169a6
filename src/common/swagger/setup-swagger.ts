import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ResultCode, ResultCodeEntry, resultCodeTable } from '../result-code';
import { PUBLIC_EXTENSION } from '../decorators/auth.decorators';
import { errorEnvelopeSchema, FieldErrorDto, RAW_ANSWER_EXTENSION, RawAnswer } from './api-envelope';

const DESCRIPTION = `Cinema ticketing API. Every JSON response is the envelope \`{ code, msg, data, total }\`:
\`code\` is a business code, \`data\` the payload (null on errors), \`total\` the item count across
pages on paginated lists. Authenticate with \`Authorization: Bearer <token>\` from \`POST /api/v1/auth/login\`.

Business codes:

${resultCodeTable()}`;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('TTMS API')
    .setDescription(DESCRIPTION)
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative, so Swagger UI and generated clients call the origin that served the document.
    .addServer('/')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [FieldErrorDto],
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  declareSecurity(document);
  rawAnswers(document);
  joinErrorCodes(document);
  nullableReferences(document);
  return document;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Every operation states its security: `[]` (no token) on the `@Public()` ones, bearer on the rest,
 * since the global auth guard asks a token of every route that is not public.
 */
function declareSecurity(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!operation) continue;
      if (operation[PUBLIC_EXTENSION]) {
        delete operation[PUBLIC_EXTENSION];
        operation.security = [];
      } else if (!operation.security?.length) {
        operation.security = [{ bearer: [] }];
      }
    }
  }
}

/** `@ApiRawAnswer`: the 200's raw content type gets its own schema and headers instead of a copy of the envelope. */
function rawAnswers(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      const answer = operation?.[RAW_ANSWER_EXTENSION] as RawAnswer | undefined;
      if (!operation || !answer) continue;
      delete operation[RAW_ANSWER_EXTENSION];
      const success = operation.responses['200'] as ResponseObject;
      success.content = { ...success.content, [answer.contentType]: { schema: answer.schema } };
      if (answer.headers) success.headers = { ...success.headers, ...answer.headers };
    }
  }
}

export function setupSwagger(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}

const ENTRIES_BY_CODE = new Map<number, ResultCodeEntry>(Object.values(ResultCode).map((entry) => [entry.code, entry]));

/**
 * Several decorators (`@Auth`, `@Idempotent`, `@ApiEnvelope`) may each document codes under one HTTP
 * status: Swagger joins their descriptions but keeps the last schema, so 409 would allow only the last
 * decorator's codes. Each error answer's schema is rebuilt here from every code its description names.
 */
function joinErrorCodes(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const responses = item[method]?.responses ?? {};
      for (const [status, response] of Object.entries(responses)) {
        const content = (response as ResponseObject).content?.['application/json'];
        if (Number(status) < 400 || !content) continue;
        const description = (response as ResponseObject).description;
        const codes = [...description.matchAll(/(?:^|; |\n\n)(\d{4}): /g)].map((match) => Number(match[1]));
        const entries = [...new Set(codes)].map((code) => ENTRIES_BY_CODE.get(code)).filter((e) => e !== undefined);
        if (entries.length) content.schema = errorEnvelopeSchema(entries);
      }
    }
  }
}

/**
 * A nullable object of a named schema: Nest writes `{ nullable: true, type: object, allOf: [{ $ref }] }`,
 * but in OpenAPI 3.0.3 `nullable` only adds null to `type`, and the `allOf` still asks null to be the
 * referenced object, so no validator accepts null there. Rewritten as "that object, or null".
 */
function nullableReferences(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(nullableReferences);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  const parts = schema.allOf;
  if (schema.nullable === true && Array.isArray(parts) && parts.length === 1 && '$ref' in (parts[0] as object)) {
    delete schema.allOf;
    schema.type = 'object';
    schema.anyOf = [parts[0], { type: 'object', nullable: true, enum: [null] }];
  }
  Object.values(schema).forEach(nullableReferences);
}
