import http from 'node:http';

export interface SseEvent {
  event: string;
  id?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- event payloads are checked by the tests
  data: any;
  at: number;
}

export interface SseClient {
  status: number;
  events: SseEvent[];
  comments: number;
  /** Resolves with the first event (from `from` on) that matches, or rejects after `timeoutMs`. */
  waitFor: (match: (e: SseEvent) => boolean, timeoutMs?: number) => Promise<SseEvent>;
  close: () => void;
}

/** A minimal EventSource over node:http: parses frames as they arrive and keeps them in order. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const client: SseClient = {
        status: res.statusCode ?? 0,
        events: [],
        comments: 0,
        waitFor: (match, timeoutMs = 5000) =>
          new Promise((done, fail) => {
            const started = Date.now();
            const poll = () => {
              const found = client.events.find(match);
              if (found) return done(found);
              if (Date.now() - started > timeoutMs) return fail(new Error(`no matching event in ${timeoutMs} ms`));
              setTimeout(poll, 20);
            };
            poll();
          }),
        close: () => req.destroy(),
      };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith(':')) {
            client.comments++;
            continue;
          }
          const fields: Record<string, string> = {};
          for (const line of frame.split('\n')) {
            const at = line.indexOf(': ');
            if (at > 0) fields[line.slice(0, at)] = line.slice(at + 2);
          }
          const data =
            fields.data && res.headers['content-type']?.startsWith('text/event-stream')
              ? JSON.parse(fields.data)
              : fields.data;
          client.events.push({ event: fields.event ?? 'message', id: fields.id, data, at: Date.now() });
        }
      });
      res.on('error', () => undefined);
      resolve(client);
    });
    req.on('error', reject);
  });
}
