import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { resultCodeTable } from '../result-code';
import { EnvelopeDto, FieldErrorDto } from './api-envelope';

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
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, {
    extraModels: [EnvelopeDto, FieldErrorDto],
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

export function setupSwagger(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
