import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { AppException } from './app.exception';
import { IdParam } from './id-param.dto';
import { createValidationPipe } from './validation';

const asParam: ArgumentMetadata = { type: 'param', metatype: IdParam, data: undefined };

/** The full class-transformer + class-validator path with the same options, minus the shortcut. */
function referencePipe(): ValidationPipe {
  const pipe = createValidationPipe();
  return Object.assign(Object.create(ValidationPipe.prototype) as ValidationPipe, pipe);
}

async function outcome(pipe: ValidationPipe, value: unknown): Promise<unknown> {
  try {
    const result = (await pipe.transform(value, asParam)) as object;
    return { ok: result instanceof IdParam, value: { ...result } };
  } catch (error) {
    const app = error as AppException;
    return { error: app.constructor.name, code: app.result.code, message: app.message, data: app.data };
  }
}

describe('the global validation pipe on path ids', () => {
  const inputs: unknown[] = [
    { id: '1' },
    { id: '42' },
    { id: '2147483647' },
    { id: '2147483648' },
    { id: '9999999999' },
    { id: '0' },
    { id: '007' },
    { id: '-3' },
    { id: '1.5' },
    { id: '1e3' },
    { id: '0x10' },
    { id: ' 12 ' },
    { id: '' },
    { id: 'abc' },
    { id: '12', other: 'x' },
    {},
  ];

  it.each(inputs.map((input) => [JSON.stringify(input), input]))(
    'answers %s exactly as IdParam’s decorators do',
    async (_label, input) => {
      const fast = await outcome(createValidationPipe(), input);
      const reference = await outcome(referencePipe(), input);
      expect(fast).toEqual(reference);
    },
  );

  it('gives the id as a number on an IdParam instance', async () => {
    const result = await createValidationPipe().transform({ id: '2147483647' }, asParam);
    expect(result).toBeInstanceOf(IdParam);
    expect(result).toEqual({ id: 2_147_483_647 });
  });

  it('refuses an id past the column’s range with 1002 naming the field', async () => {
    await expect(createValidationPipe().transform({ id: '2147483648' }, asParam)).rejects.toMatchObject({
      result: { code: 1002 },
      data: [{ field: 'id', message: 'id must not be greater than 2147483647' }],
    });
  });
});
