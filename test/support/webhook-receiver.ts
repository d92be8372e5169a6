import { createServer, IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How a receiver answers each request it records:
 * - `ok`: 200 with a small JSON body;
 * - `error`: `errorStatus` (500 unless changed) with a small body;
 * - `hang`: reads the request and never answers (the socket stays open until `close()`);
 * - `redirect`: 302 to `redirectTo`;
 * - `garbage`: bytes that are not HTTP, then the connection closes.
 */
export type AnswerMode = 'ok' | 'error' | 'hang' | 'redirect' | 'garbage';

export interface ReceivedRequest {
  method: string;
  /** path and query, e.g. `/hook` */
  path: string;
  /** as Node lower-cases them: `headers['webhook-id']` */
  headers: IncomingHttpHeaders;
  /** the body exactly as received (what a signature covers) */
  rawBody: string;
  /** the mode that answered it */
  answeredWith: AnswerMode;
  receivedAt: Date;
  /** when its connection closed (a hung request: when the sender gave up), null while open */
  closedAt: Date | null;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hook`: any path is accepted, this one is only a convenience */
  url: string;
  /** Every request so far, oldest first (also the ones it hung up on or answered with garbage). */
  requests: ReceivedRequest[];
  /** Switch at any time; applies to requests that arrive afterwards. */
  mode: AnswerMode;
  errorStatus: number;
  redirectTo: string;
  /** The requests carrying this `webhook-id` header. */
  withId(webhookId: string): ReceivedRequest[];
  /** Resolves with the requests once `count` of them satisfy `match`; rejects after `timeoutMs`. */
  waitFor(match: (request: ReceivedRequest) => boolean, count?: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Stops listening and drops the connections still open (hung requests included). */
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and a free port, recording raw bodies and headers. */
export async function startWebhookReceiver(mode: AnswerMode = 'ok'): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answeredWith = receiver.mode;
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        answeredWith,
        receivedAt: new Date(),
        closedAt: null,
      };
      requests.push(request);
      if (req.socket.destroyed) request.closedAt = new Date();
      else req.socket.once('close', () => (request.closedAt = new Date()));
      switch (answeredWith) {
        case 'ok':
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
          return;
        case 'error':
          res.writeHead(receiver.errorStatus, { 'Content-Type': 'text/plain' }).end('receiver failed');
          return;
        case 'redirect':
          res.writeHead(302, { Location: receiver.redirectTo }).end();
          return;
        case 'garbage':
          req.socket.end('\u0000\u00ffthis is not HTTP at all\r\n\r\n');
          return;
        case 'hang':
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    mode,
    errorStatus: 500,
    redirectTo: 'http://127.0.0.1:9/elsewhere',
    withId: (webhookId) => requests.filter((request) => request.headers['webhook-id'] === webhookId),
    waitFor: (match, count = 1, timeoutMs = 8_000) =>
      pollUntil(
        () => {
          const found = requests.filter(match);
          return found.length >= count ? found : undefined;
        },
        { timeoutMs, what: `${count} matching request(s) at ${receiver.url}` },
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

/**
 * Calls `probe` every `intervalMs` until it gives something other than undefined, null or false, and
 * answers that; rejects with `what` once `timeoutMs` has passed.
 */
export async function pollUntil<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  {
    timeoutMs = 8_000,
    intervalMs = 100,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
