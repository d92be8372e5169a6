import * as http from 'node:http';
import { AddressInfo, createServer as createTcpServer, Server, Socket } from 'node:net';
import { LookupAll } from './webhook-address';
import { postWebhook } from './webhook-post';

interface Received {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface TestServer {
  port: number;
  connections: number;
  received: Received[];
}

const servers: Server[] = [];
const sockets = new Set<Socket>();

afterEach(async () => {
  sockets.forEach((socket) => socket.destroy());
  sockets.clear();
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

/** An HTTP server on 127.0.0.1 that records each request, then lets `answer` reply (or not). */
async function givenReceiver(answer: (res: http.ServerResponse) => void): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      answer(res);
    });
  });
  const received: Received[] = [];
  const target: TestServer = { port: 0, connections: 0, received };
  server.on('connection', () => target.connections++);
  target.port = await listen(server);
  return target;
}

const strict = (extra: { lookup?: LookupAll } = {}) => ({ allowPrivate: false, timeoutMs: 2000, ...extra });
const lenient = (extra: { lookup?: LookupAll; timeoutMs?: number } = {}) => ({
  allowPrivate: true,
  timeoutMs: 2000,
  ...extra,
});
const answering =
  (...addresses: string[]): LookupAll =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('postWebhook', () => {
  it('should deliver on 200 with method, headers and body received', async () => {
    const receiver = await givenReceiver((res) => res.end('ok'));
    const body = JSON.stringify({ event: 'order.paid', orderId: 42 });

    const outcome = await postWebhook(
      `http://127.0.0.1:${receiver.port}/hook?x=1`,
      body,
      { 'X-Sig': 'v1,abc' },
      lenient(),
    );

    expect(outcome).toEqual({ delivered: true, statusCode: 200, error: null });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-sig']).toBe('v1,abc');
    expect(request.body).toBe(body);
  });

  it('should not deliver on 500', async () => {
    const receiver = await givenReceiver((res) => res.writeHead(500).end('boom'));

    const outcome = await postWebhook(`http://127.0.0.1:${receiver.port}/`, '{}', {}, lenient());

    expect(outcome).toEqual({ delivered: false, statusCode: 500, error: 'HTTP 500' });
  });

  it('should not follow a redirect', async () => {
    const elsewhere = await givenReceiver((res) => res.end('ok'));
    const location = `http://127.0.0.1:${elsewhere.port}/other`;
    const receiver = await givenReceiver((res) => res.writeHead(302, { Location: location }).end());

    const outcome = await postWebhook(`http://127.0.0.1:${receiver.port}/`, '{}', {}, lenient());

    expect(outcome).toEqual({ delivered: false, statusCode: 302, error: `redirect to ${location} not followed` });
    expect(elsewhere.connections).toBe(0);
  });

  it('should time out on a receiver that never answers', async () => {
    const receiver = await givenReceiver(() => undefined);
    const started = Date.now();

    const outcome = await postWebhook(`http://127.0.0.1:${receiver.port}/`, '{}', {}, lenient({ timeoutMs: 300 }));

    expect(Date.now() - started).toBeLessThan(1500);
    expect(outcome).toEqual({ delivered: false, statusCode: null, error: 'timed out after 0.3s' });
  });

  it('should time out on a 200 whose body never ends', async () => {
    const receiver = await givenReceiver((res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('partial');
    });

    const outcome = await postWebhook(`http://127.0.0.1:${receiver.port}/`, '{}', {}, lenient({ timeoutMs: 300 }));

    expect(outcome.delivered).toBe(false);
    expect(outcome.error).toMatch(/timed out/);
  });

  it('should deliver on 200 with an endless body, reading only the first 64 KiB', async () => {
    const receiver = await givenReceiver((res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const flood = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(flood));
    });

    const outcome = await postWebhook(`http://127.0.0.1:${receiver.port}/`, '{}', {}, lenient({ timeoutMs: 5000 }));

    expect(outcome).toEqual({ delivered: true, statusCode: 200, error: null });
  });

  it('should not deliver when the answer is not HTTP', async () => {
    const garbage = createTcpServer((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    const port = await listen(garbage);

    const outcome = await postWebhook(`http://127.0.0.1:${port}/`, '{}', {}, lenient());

    expect(outcome.delivered).toBe(false);
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toMatch(/\S/);
    expect(outcome.error).not.toMatch(/\n/);
  });

  it('should not deliver to a closed port', async () => {
    const port = await listen(createTcpServer());
    const closed = servers.pop() as Server;
    await new Promise((done) => closed.close(done));

    const outcome = await postWebhook(`http://127.0.0.1:${port}/`, '{}', {}, lenient());

    expect(outcome).toEqual({ delivered: false, statusCode: null, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('should answer, not throw, for a URL that is not one', async () => {
    const outcome = await postWebhook('nope', '{}', {}, lenient());

    expect(outcome).toEqual({ delivered: false, statusCode: null, error: 'not a valid absolute URL' });
  });

  it('should not quote header values when they are refused', async () => {
    const outcome = await postWebhook('http://127.0.0.1:9/', '{}', { 'X-Sig': 'secret\nvalue' }, lenient());

    expect(outcome.delivered).toBe(false);
    expect(outcome.error).not.toMatch(/secret/);
  });

  describe('with private targets refused', () => {
    it('should refuse a private IP literal without connecting', async () => {
      const receiver = await givenReceiver((res) => res.end('ok'));

      const outcome = await postWebhook(`http://127.0.0.1:${receiver.port}/`, '{}', {}, strict());

      expect(outcome).toEqual({ delivered: false, statusCode: null, error: 'address 127.0.0.1 is private' });
      expect(receiver.connections).toBe(0);
    });

    it('should refuse a name that resolves to loopback without connecting', async () => {
      const receiver = await givenReceiver((res) => res.end('ok'));
      const url = `http://hooks.example.test:${receiver.port}/`;

      const outcome = await postWebhook(url, '{}', {}, strict({ lookup: answering('127.0.0.1') }));

      expect(outcome).toEqual({ delivered: false, statusCode: null, error: 'address 127.0.0.1 is private' });
      expect(receiver.connections).toBe(0);
    });

    it('should refuse a name when any one of its addresses is private', async () => {
      const receiver = await givenReceiver((res) => res.end('ok'));
      const url = `http://hooks.example.test:${receiver.port}/`;

      const outcome = await postWebhook(url, '{}', {}, strict({ lookup: answering('93.184.216.34', '::ffff:7f00:1') }));

      expect(outcome.error).toBe('address ::ffff:7f00:1 is private');
      expect(receiver.connections).toBe(0);
    });
  });

  it('should connect to the address the injected lookup answered when private targets are allowed', async () => {
    const receiver = await givenReceiver((res) => res.end('ok'));
    const url = `http://hooks.example.test:${receiver.port}/`;

    const outcome = await postWebhook(url, '{}', {}, lenient({ lookup: answering('127.0.0.1') }));

    expect(outcome).toEqual({ delivered: true, statusCode: 200, error: null });
    expect(receiver.received[0].headers.host).toBe(`hooks.example.test:${receiver.port}`);
  });
});
