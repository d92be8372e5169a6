import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../config/env.validation';
import type { Transaction } from '../database/transaction';
import { SeatEventsService } from './seat-events.service';

describe('SeatEventsService', () => {
  it('should deliver a committed change to every listener even when one of them throws', () => {
    const config = { get: () => undefined } as unknown as ConfigService<EnvironmentVariables, true>;
    const events = new SeatEventsService(config);
    const received: number[] = [];
    events.onChange(() => {
      throw new Error('broken subscriber');
    });
    events.onChange((event) => received.push(event.version));
    jest.spyOn(events['logger'], 'error').mockImplementation(() => undefined);

    const committed: (() => void)[] = [];
    const tx = { afterCommit: (step: () => void) => committed.push(step) } as unknown as Transaction;
    events.publishAfterCommit(tx, 7, 12, [{ row: 1, col: 2, status: 'sold' }]);
    expect(() => committed.forEach((step) => step())).not.toThrow();
    expect(received).toEqual([12]);
  });
});
