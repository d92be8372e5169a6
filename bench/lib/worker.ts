import { fork } from 'node:child_process';
import { join } from 'node:path';

/**
 * Load generators and the bare database script run in their own process, so that they never share
 * the server's event loop: the parent sends the input, the child answers once with its result.
 */
export function runWorker<I, O>(name: string, input: I, limitMs: number): Promise<O> {
  const child = fork(join(__dirname, '..', 'workers', `${name}.ts`), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<O>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, result?: O) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(result as O);
    };
    const timer = setTimeout(() => finish(new Error(`worker ${name} ran past ${limitMs} ms`)), limitMs);
    child.on('message', (msg: { ok: boolean; result?: O; error?: string }) => {
      if (msg.ok) finish(null, msg.result);
      else finish(new Error(`worker ${name}: ${msg.error}`));
    });
    child.on('exit', (code) => finish(new Error(`worker ${name} exited with ${code} before answering`)));
    child.send(input as object);
  });
}

/** The child side: runs `work` on the input the parent sent and answers with its result. */
export function workerMain<I, O>(work: (input: I) => Promise<O>): void {
  process.once('message', (input: I) => {
    work(input).then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) =>
        process.send!(
          { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
          () => process.exit(1),
        ),
    );
  });
}
