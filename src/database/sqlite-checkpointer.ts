import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';

/**
 * The WAL's pages go back into the database file from a worker thread with its own connection,
 * every `intervalMs`. Left to SQLite, the commit that fills the WAL past 1,000 pages copies them
 * and fsyncs twice on the event loop: in a rush that was a third of all commit time, in spikes of
 * several milliseconds during which no request moves. A PASSIVE checkpoint never blocks the app's
 * writers. The app's own autocheckpoint stays on at a higher mark, as a safety net should this
 * thread fall behind or die.
 */
export class SqliteCheckpointer {
  private readonly logger = new Logger(SqliteCheckpointer.name);
  private worker?: Worker;

  /** Autocheckpoint mark (pages) of the app's connection while the worker runs. */
  static readonly FALLBACK_PAGES = 8000;

  start(path: string, intervalMs: number): void {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, intervalMs, driver: require.resolve('better-sqlite3') },
      // It runs a dozen lines: a small heap keeps the thread's memory small.
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, codeRangeSizeMb: 2 },
    });
    worker.on('error', (error) => this.logger.warn(`WAL checkpointer stopped: ${error.message}`));
    worker.unref();
    this.worker = worker;
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
// A checkpoint copies pages from the WAL to the file; it needs no page cache of its own.
db.pragma('cache_size = 16');
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy (another process checkpointing) or the file went away: the next run tries again
  }
}, workerData.intervalMs);
`;
