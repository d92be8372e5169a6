import { KeyedTurns } from './keyed-turns';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedTurns', () => {
  it('should run the tasks of one key one at a time, in the order they came', async () => {
    const turns = new KeyedTurns();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const answers = await Promise.all(['a', 'b', 'c'].map((name) => turns.run('showtime:1', task(name))));
    expect(answers).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(turns.busyKeys).toBe(0);
  });

  it('should run tasks of different keys side by side', async () => {
    const turns = new KeyedTurns();
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
    };
    await Promise.all([1, 2, 3].map((key) => turns.run(`showtime:${key}`, task)));
    expect(most).toBe(3);
  });

  it('should pass a failure to its own caller only, and still let the next task of the key run', async () => {
    const turns = new KeyedTurns();
    const failing = turns.run('k', () => Promise.reject(new Error('boom')));
    const next = turns.run('k', () => Promise.resolve('ran'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
    expect(turns.busyKeys).toBe(0);
  });
});

describe('KeyedTurns of width 2', () => {
  it('should run at most two tasks of one key at a time, starting them in the order they came', async () => {
    const turns = new KeyedTurns(2);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const task = (n: number) => async () => {
      started.push(n);
      running++;
      most = Math.max(most, running);
      await tick();
      await tick();
      running--;
    };
    await Promise.all([1, 2, 3, 4, 5].map((n) => turns.run('k', task(n))));
    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(turns.busyKeys).toBe(0);
  });
});
