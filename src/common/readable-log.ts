import { Writable } from 'node:stream';

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '\x1b[90m' },
  20: { name: 'DEBUG', color: '\x1b[90m' },
  30: { name: 'INFO ', color: '\x1b[32m' },
  40: { name: 'WARN ', color: '\x1b[33m' },
  50: { name: 'ERROR', color: '\x1b[31m' },
  60: { name: 'FATAL', color: '\x1b[35m' },
};
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/**
 * Nest's start-up chatter: one line per module and per route (over a hundred). Logged at debug
 * instead, where someone who wants it (LOG_LEVEL=debug) still finds it.
 */
export const START_UP_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** pino's hook: the chatter above goes out only when debug lines do. */
export function quietStartUp(
  this: { isLevelEnabled(level: string): boolean },
  args: unknown[],
  log: (...args: unknown[]) => void,
): void {
  const first = args[0] as { context?: unknown } | undefined;
  if (typeof first?.context === 'string' && START_UP_CHATTER.has(first.context) && !this.isLevelEnabled('debug')) {
    return;
  }
  log.apply(this, args);
}

interface Line {
  level: number;
  time: number;
  msg?: string;
  context?: string;
  err?: { message?: string; stack?: string };
}

/** One pino JSON line as a person reads it in a terminal: time, level, where from, what. */
export function readableLine(json: string, colors: boolean): string {
  let line: Line;
  try {
    line = JSON.parse(json) as Line;
  } catch {
    return json;
  }
  const level = LEVELS[line.level] ?? { name: String(line.level), color: '' };
  const time = new Date(line.time).toTimeString().slice(0, 8);
  const paint = (color: string, text: string) => (colors ? `${color}${text}${RESET}` : text);
  const from = line.context ? `${paint(DIM, `[${line.context}]`)} ` : '';
  const error = line.err?.stack ?? line.err?.message;
  return `${paint(DIM, time)} ${paint(level.color, level.name)} ${from}${line.msg ?? ''}${error ? `\n${error}` : ''}`;
}

/** Where pino writes when a person watches (a terminal, outside production): readable lines instead of JSON. */
export function readableLogStream(out: NodeJS.WriteStream = process.stdout): Writable {
  let rest = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const json of lines) if (json) out.write(`${readableLine(json, out.isTTY === true)}\n`);
      done();
    },
  });
}
