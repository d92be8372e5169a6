import { TickBatcher } from './tick-batcher';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TickBatcher', () => {
  const loadMany = jest.fn((keys: number[]) => Promise.resolve(new Map(keys.map((k) => [k, `v${k}`]))));

  beforeEach(() => loadMany.mockClear());

  it('should load the keys of one tick in one call, each key once, and answer every caller', async () => {
    const batcher = new TickBatcher(loadMany);
    const answers = await Promise.all([1, 2, 1, 3, 2].map((k) => batcher.load(k)));
    expect(answers).toEqual(['v1', 'v2', 'v1', 'v3', 'v2']);
    expect(loadMany).toHaveBeenCalledTimes(1);
    expect(loadMany).toHaveBeenCalledWith([1, 2, 3]);
  });

  it('should send nothing before the tick ends, and start a new load for a key asked after one went out', async () => {
    const batcher = new TickBatcher(loadMany);
    const first = batcher.load(1);
    expect(loadMany).not.toHaveBeenCalled();
    await nextTurn();
    expect(loadMany).toHaveBeenCalledTimes(1);
    const second = batcher.load(1);
    await Promise.all([first, second]);
    expect(loadMany).toHaveBeenCalledTimes(2);
  });

  it('should answer undefined for a key the load did not find, and pass a failure to every caller', async () => {
    const batcher = new TickBatcher((keys: number[]) =>
      keys.includes(13) ? Promise.reject(new Error('db down')) : Promise.resolve(new Map([[1, 'one']])),
    );
    expect(await Promise.all([batcher.load(1), batcher.load(2)])).toEqual(['one', undefined]);
    const failed = await Promise.allSettled([batcher.load(13), batcher.load(1)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('should split a crowded tick into loads of at most 100 keys', async () => {
    const batcher = new TickBatcher(loadMany);
    const keys = Array.from({ length: 250 }, (_, i) => i);
    expect(await Promise.all(keys.map((k) => batcher.load(k)))).toEqual(keys.map((k) => `v${k}`));
    expect(loadMany.mock.calls.map(([chunk]) => chunk.length)).toEqual([100, 100, 50]);
  });

  it('should pass a load that throws before it returns a promise to every caller', async () => {
    const batcher = new TickBatcher<number, string>(() => {
      throw new Error('could not build the query');
    });
    const answers = await Promise.allSettled([batcher.load(1), batcher.load(2)]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    // The batcher goes on: the next tick loads again.
    await expect(new TickBatcher(loadMany).load(4)).resolves.toBe('v4');
  });
});
