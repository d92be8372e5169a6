import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';
import { CreateOrderDto, SeatChoiceDto } from '../ticketing/dto/create-order.dto';
import { PayOrderDto } from '../ticketing/dto/order-actions.dto';
import { fastPathOf } from './fast-validation';
import { createValidationPipe } from './validation';

/** The global pipe's options on ValidationPipe's own transform: the full class-transformer + class-validator path. */
const fullPipe: ValidationPipe = Object.assign(
  Object.create(ValidationPipe.prototype) as ValidationPipe,
  createValidationPipe(),
);
const asBody = (metatype: new () => unknown): ArgumentMetadata => ({ type: 'body', metatype, data: undefined });

async function fullPath(metatype: new () => unknown, value: unknown): Promise<unknown> {
  try {
    return await fullPipe.transform(value, asBody(metatype));
  } catch {
    return 'refused';
  }
}

// JSON.parse gives plain objects; fast-check would also try null-prototype ones (refused below).
const plain = { noNullPrototype: true };
const seat = fc.record({ row: fc.integer({ min: 1, max: 50 }), col: fc.integer({ min: 1, max: 50 }) }, plain);
const hold = fc.record(
  {
    scheduleId: fc.integer({ min: 1, max: 2_147_483_647 }),
    seats: fc.uniqueArray(seat, { minLength: 1, maxLength: 6, selector: (s) => `${s.row}:${s.col}` }),
  },
  plain,
);
/** Near misses of a hold: wrong types, bounds, extra or missing keys, duplicates, odd prototypes. */
const nearHold = fc.oneof(
  hold.map((h) => ({ ...h, extra: 1 })),
  hold.map(({ seats }) => ({ seats })),
  hold.map((h) => ({ ...h, scheduleId: String(h.scheduleId) })),
  hold.map((h) => ({ ...h, scheduleId: h.scheduleId + 0.5 })),
  hold.map((h) => ({ ...h, seats: [...h.seats, h.seats[0]] })),
  hold.map((h) => ({ ...h, seats: h.seats.map((s) => ({ ...s, col: s.col + 50 })) })),
  hold.map((h) => ({ ...h, seats: h.seats.map((s) => ({ ...s, note: 'x' })) })),
  hold.map((h) => ({ ...h, seats: h.seats.map((s) => ({ row: s.row })) })),
  hold.map((h) => ({ ...h, seats: {} })),
  hold.map((h) => ({ ...h, seats: [...h.seats, ...h.seats.map((s) => ({ row: s.col, col: 50 }))] })),
  hold.map((h) => Object.assign(Object.create(null) as object, h)),
  fc.anything(),
);

describe('fast validation shortcuts', () => {
  it('takes every well-formed hold, giving what the full path gives', async () => {
    const fast = fastPathOf(CreateOrderDto)!;
    await fc.assert(
      fc.asyncProperty(hold, async (value) => {
        const quick = fast(value);
        expect(quick).toBeInstanceOf(CreateOrderDto);
        (quick as CreateOrderDto).seats.forEach((s) => expect(s).toBeInstanceOf(SeatChoiceDto));
        expect(quick).toStrictEqual(await fullPath(CreateOrderDto, value));
      }),
      { numRuns: 300 },
    );
  });

  it('takes nothing the full path would refuse or change', async () => {
    const fast = fastPathOf(CreateOrderDto)!;
    await fc.assert(
      fc.asyncProperty(nearHold, async (value) => {
        const quick = fast(value);
        if (quick !== undefined) expect(quick).toStrictEqual(await fullPath(CreateOrderDto, value));
      }),
      { numRuns: 600 },
    );
    for (const refused of [
      { scheduleId: 1, seats: [] },
      { scheduleId: 1, seats: Array.from({ length: 7 }, (_, i) => ({ row: 1, col: i + 1 })) },
      { scheduleId: 0, seats: [{ row: 1, col: 1 }] },
      { scheduleId: 1, seats: [{ row: 1, col: 1 }], __proto__: { x: 1 } },
    ]) {
      expect(fast(refused)).toBeUndefined();
    }
  });

  it('takes an empty payment body or a known channel, and leaves the rest to the full path', async () => {
    const fast = fastPathOf(PayOrderDto)!;
    for (const value of [{}, { channel: 'mock' }]) {
      expect(fast(value)).toBeInstanceOf(PayOrderDto);
      expect(fast(value)).toStrictEqual(await fullPath(PayOrderDto, value));
    }
    for (const value of [{ channel: 'card' }, { channel: 'mock', tip: 1 }, { channel: null }, undefined, 'mock']) {
      expect(fast(value)).toBeUndefined();
    }
  });
});
