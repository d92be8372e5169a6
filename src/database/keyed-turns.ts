/**
 * Tasks given the same key run at most `width` at a time in this process, and start in the order
 * they came; tasks of different keys do not wait for each other.
 */
export class KeyedTurns {
  private readonly keys = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly width = 1) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const entry = this.keys.get(key) ?? { running: 0, waiting: [] };
    this.keys.set(key, entry);
    if (entry.running >= this.width) {
      await new Promise<void>((resolve) => entry.waiting.push(resolve));
    } else {
      entry.running++;
    }
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so that no later arrival can overtake it.
      const next = entry.waiting.shift();
      if (next) next();
      else if (--entry.running === 0) this.keys.delete(key);
    }
  }

  /** Keys with a task running or waiting (for tests). */
  get busyKeys(): number {
    return this.keys.size;
  }
}
