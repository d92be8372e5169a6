import pino from 'pino';
import { Writable } from 'node:stream';
import { quietStartUp, readableLine, readableLogStream } from './readable-log';

describe('readable log lines', () => {
  const at = new Date(2026, 11, 8, 9, 5, 7).getTime();

  it('should show time, level, context and message, without colours off a terminal', () => {
    const json = JSON.stringify({ level: 40, time: at, context: 'DeliveryWorker', msg: 'attempt 1 failed: HTTP 500' });
    expect(readableLine(json, false)).toBe('09:05:07 WARN  [DeliveryWorker] attempt 1 failed: HTTP 500');
    expect(readableLine(json, true)).toContain('\x1b[33mWARN \x1b[0m');
  });

  it("should add an error's stack, and pass a line that is not JSON through", () => {
    const json = JSON.stringify({
      level: 50,
      time: at,
      msg: 'boom',
      err: { message: 'x', stack: 'Error: x\n    at f' },
    });
    expect(readableLine(json, false)).toBe('09:05:07 ERROR boom\nError: x\n    at f');
    expect(readableLine('plain text', false)).toBe('plain text');
  });

  it('should turn chunks split anywhere into whole lines', () => {
    const written: string[] = [];
    const out = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const stream = readableLogStream(out);
    const line = JSON.stringify({ level: 30, time: at, msg: 'GET /api/v1/health 200 2ms' });
    stream.write(`${line}\n${line.slice(0, 10)}`);
    stream.write(`${line.slice(10)}\n`);
    expect(written).toEqual([
      '09:05:07 INFO  GET /api/v1/health 200 2ms\n',
      '09:05:07 INFO  GET /api/v1/health 200 2ms\n',
    ]);
  });

  it("should keep Nest's route and module lines out unless debug lines are on", () => {
    const logged = (level: string) => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const logger = pino({ level, hooks: { logMethod: quietStartUp } }, sink);
      logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/v1/orders, POST} route');
      logger.info({ context: 'InstanceLoader' }, 'AppModule dependencies initialized');
      logger.info({ context: 'Main' }, 'TTMS is ready');
      return lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    };
    expect(logged('info')).toEqual(['TTMS is ready']);
    expect(logged('debug')).toEqual([
      'Mapped {/api/v1/orders, POST} route',
      'AppModule dependencies initialized',
      'TTMS is ready',
    ]);
  });
});
