import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from './ticketing';

/** One request as the receiver read it: the Standard Webhooks headers and the raw body. */
export interface ReceivedNotification {
  webhookId: string;
  timestamp: string;
  signature: string;
  body: string;
  /** Date.now() when the whole body had arrived. */
  at: number;
  /** What the receiver answered; 'hung' for a request it never answered. */
  answered: number | 'hung';
}

/** 200, 500…, or 'hang': read the request and never answer it (until the sender goes away). */
export type ReceiverAnswer = number | 'hang';

/**
 * A cinema's system on 127.0.0.1 for the notification tests (CONTRACT 14): it records every request
 * it gets and answers each as it is told at that moment, which a test may change between requests.
 */
export class NotificationReceiver {
  readonly received: ReceivedNotification[] = [];
  private readonly hung = new Set<ServerResponse>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    private answer: ReceiverAnswer,
  ) {}

  static async start(answer: ReceiverAnswer = 200): Promise<NotificationReceiver> {
    const server = createServer();
    const receiver = new NotificationReceiver(server, answer);
    server.on('request', (req, res) => receiver.take(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/ttms/webhooks`;
  }

  /** How the following requests are answered. */
  answerWith(answer: ReceiverAnswer): void {
    this.answer = answer;
  }

  /** How many times each webhook-id came. */
  countsById(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { webhookId } of this.received) counts.set(webhookId, (counts.get(webhookId) ?? 0) + 1);
    return counts;
  }

  /** Waits until `done` holds of what was received; throws with a summary past `limitMs`. */
  async until(done: (received: ReceivedNotification[]) => boolean, limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (!done(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `the receiver did not get what was awaited within ${limitMs} ms: ${this.received.length} requests, ` +
            `${this.countsById().size} webhook-ids`,
        );
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 250));
        this.waiters.add(wake);
      });
    }
  }

  /** Waits `ms` and answers whether anything came meanwhile (for "no more arrive"). */
  async quietFor(ms: number): Promise<boolean> {
    const before = this.received.length;
    await sleep(ms);
    return this.received.length === before;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private take(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = this.answer;
      this.received.push({
        webhookId: String(req.headers['webhook-id'] ?? ''),
        timestamp: String(req.headers['webhook-timestamp'] ?? ''),
        signature: String(req.headers['webhook-signature'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        answered: answer === 'hang' ? 'hung' : answer,
      });
      this.waiters.forEach((wake) => wake());
      if (answer === 'hang') {
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
        return;
      }
      res.writeHead(answer, { 'Content-Type': 'text/plain' }).end(answer < 300 ? 'ok' : 'not now');
    });
  }
}
