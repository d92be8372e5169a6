import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException } from './app.exception';
import { fastPathOf } from './fast-validation';
import { ResultCode } from './result-code';

export interface FieldError {
  field: string;
  message: string;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The global pipe, with the registered shortcuts of hot request shapes taken first (fast-validation.ts). */
class AppValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const fast = metadata.type === 'custom' ? undefined : fastPathOf(metadata.metatype);
    const quick = fast?.(value);
    return quick ? Promise.resolve(quick) : super.transform(value, metadata);
  }
}

/** The global pipe: unknown fields and wrong types answer 1002 with every field error in `data`. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flattenValidationErrors(errors);
      const first = fieldErrors[0];
      const msg = first ? `${first.field}: ${first.message}` : ResultCode.InvalidParams.msg;
      return new AppException(ResultCode.InvalidParams, msg, fieldErrors);
    },
  });
}
