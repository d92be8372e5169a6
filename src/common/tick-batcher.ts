/** The most keys one load asks for; more in one tick are loaded in several queries. */
const MAX_KEYS_PER_LOAD = 100;

interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Loads the keys asked for during one tick of the event loop together, in one query. The load starts
 * when the tick is over (in setImmediate), once the tick's incoming requests have all been read, so
 * it is sent after every caller in it asked: each
 * still sees everything committed before its own request, as with a query of its own. A key asked
 * for after a load went out waits for the next one. Under load this turns a round trip per request
 * into one per tick (the reads every request makes: the session behind a token, a seat map's stamp).
 */
export class TickBatcher<K, V> {
  private pending?: Map<K, Waiter<V>[]>;

  constructor(private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>) {}

  load(key: K): Promise<V | undefined> {
    if (!this.pending) {
      this.pending = new Map();
      setImmediate(() => this.flush());
    }
    const batch = this.pending;
    return new Promise<V | undefined>((resolve, reject) => {
      const waiters = batch.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else batch.set(key, [{ resolve, reject }]);
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = undefined;
    if (!batch) return;
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += MAX_KEYS_PER_LOAD) {
      const chunk = keys.slice(start, start + MAX_KEYS_PER_LOAD);
      // A load that throws before it returns a promise (building its query) still answers its callers.
      new Promise<Map<K, V>>((resolve) => resolve(this.loadMany(chunk))).then(
        (values) => chunk.forEach((key) => batch.get(key)!.forEach((w) => w.resolve(values.get(key)))),
        (error: unknown) => chunk.forEach((key) => batch.get(key)!.forEach((w) => w.reject(error))),
      );
    }
  }
}
