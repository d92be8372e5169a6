import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { envelopeSchema } from '../common/swagger/api-envelope';
import { ResultCode } from '../common/result-code';

/**
 * A report's 200 in both of its forms: the JSON envelope with the rows in `data`, or with
 * `format=csv` the same rows as a CSV file (the JSON field names as header, UTF-8 with BOM).
 */
export function ApiReportResponse(row: Type<unknown>, csvExample: string) {
  return applyDecorators(
    ApiExtraModels(row),
    ApiResponse({
      status: 200,
      description: 'success (code 1000); with `format=csv` a `text/csv` download of the same rows',
      content: {
        'application/json': {
          schema: envelopeSchema(
            { type: 'integer', enum: [ResultCode.Success.code], example: ResultCode.Success.code },
            { type: 'array', items: { $ref: getSchemaPath(row) } },
          ),
        },
        'text/csv': { schema: { type: 'string', format: 'binary' }, example: csvExample },
      },
    }),
  );
}
