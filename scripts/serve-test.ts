/**
 * A real server for the integration runs (newman flows, the Swagger UI browser test): builds dist/ when it
 * is missing or older than the sources, starts `node dist/main.js` on a fresh temporary SQLite file with
 * the test knobs of CONTRACT section 9, and runs an SMS inbox that the server's webhook driver posts codes
 * and ticket notices to, so that a client can read codes back at `GET /codes/:phone`; the inbox is also a
 * webhook receiver (`POST /webhooks`, read back at `GET /webhooks`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppServer, freePort, startAppServer } from './lib/app-server';
import { AlipayGateway, alipayTestKeys } from '../test/support/gateways/alipay-gateway';

const ALIPAY_APP_ID = '2021000000000001';

export const ROOT = join(__dirname, '..');
export const CAPTCHA_CODE = 'abcd';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** origin + /api/v1 */
  baseUrl: string;
  /**
   * where GET /codes/:phone answers the last SMS code sent to that phone, and GET /webhooks the webhooks
   * received at POST /webhooks
   */
  smsInboxUrl: string;
  admin: { name: string; password: string };
  captchaCode: string;
  /** a local Alipay gateway the server takes payments through: POST /simulate/scan `qr_code=...` pays a trade */
  alipayGatewayUrl: string;
  /** the server's output so far, to print when something fails */
  output(): string;
  stop(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The same rule as `npm start`: build when dist/main.js is missing or older than any source or config file. */
export function ensureBuilt(): void {
  const entry = join(ROOT, 'dist', 'main.js');
  const configs = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];
  const sourceTime = Math.max(newestMtime(join(ROOT, 'src')), ...configs.map((f) => statSync(join(ROOT, f)).mtimeMs));
  if (existsSync(entry) && statSync(entry).mtimeMs >= sourceTime) return;
  process.stdout.write('Building (dist/ is missing or stale)...\n');
  const build = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error(`nest build failed with status ${build.status}`);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** What the server's SMS webhook driver posts: a login/register code, or a ticket or refund notice (no code). */
interface SmsMessage {
  phone: string;
  purpose: string;
  code?: string;
  text?: string;
  ticketCode?: string;
}

/** One webhook the server delivered to `POST /webhooks`: its `webhook-id` header and what the body is about. */
interface ReceivedWebhook {
  webhookId: string | null;
  type: unknown;
  orderId: unknown;
}

function isSmsMessage(value: unknown): value is SmsMessage {
  const message = value as Partial<SmsMessage> | null;
  return (
    typeof message?.phone === 'string' &&
    typeof message.purpose === 'string' &&
    (message.code === undefined || typeof message.code === 'string')
  );
}

function receivedWebhook(request: IncomingMessage, text: string): ReceivedWebhook {
  const body = JSON.parse(text) as { type?: unknown; data?: { id?: unknown } } | null;
  const webhookId = request.headers['webhook-id'];
  return {
    webhookId: typeof webhookId === 'string' ? webhookId : null,
    type: body?.type,
    orderId: body?.data?.id,
  };
}

/**
 * SMS: POST to any other path `{ phone, purpose, code?, text?, ticketCode? }` (the webhook SMS driver);
 * GET /codes/:phone reads the last message to that phone that had a code.
 * Webhooks: POST /webhooks records `{ webhookId, type, orderId }` and answers 204; GET /webhooks lists them.
 */
async function startSmsInbox(): Promise<{ url: string; server: Server }> {
  const lastCodeByPhone = new Map<string, SmsMessage>();
  const webhooks: ReceivedWebhook[] = [];
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://inbox');
    const codeRead = /^\/codes\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && codeRead) {
      const message = lastCodeByPhone.get(decodeURIComponent(codeRead[1]));
      if (message) send(response, 200, message);
      else send(response, 404, { error: 'no code sent to that phone yet' });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/webhooks') return send(response, 200, webhooks);
    if (request.method !== 'POST') {
      return send(response, 405, { error: 'POST an SMS or a webhook, GET /codes/:phone or /webhooks' });
    }
    if (url.pathname === '/webhooks') {
      readBody(request)
        .then((text) => {
          webhooks.push(receivedWebhook(request, text));
          response.writeHead(204).end();
        })
        .catch(() => send(response, 400, { error: 'expected a JSON webhook { type, timestamp, data }' }));
      return;
    }
    readBody(request)
      .then((text) => {
        const message: unknown = JSON.parse(text);
        if (!isSmsMessage(message)) throw new Error('phone and purpose');
        if (message.code !== undefined) lastCodeByPhone.set(message.phone, message);
        send(response, 200, { received: true });
      })
      .catch(() => send(response, 400, { error: 'expected JSON { phone, purpose, code?, text?, ticketCode? }' }));
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, server };
}

export async function startTestServer(options: { env?: Record<string, string> } = {}): Promise<TestServer> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ttms-it-'));
  const inbox = await startSmsInbox();
  const port = await freePort();
  const alipayKeys = alipayTestKeys();
  const alipay = await AlipayGateway.start({
    appId: ALIPAY_APP_ID,
    appPublicKey: alipayKeys.app.publicKey,
    gatewayPrivateKey: alipayKeys.gateway.privateKey,
  });
  const origin = `http://127.0.0.1:${port}`;
  const admin = { name: 'it_admin', password: 'Adm1nPassw0rd' };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_PATH: join(dir, 'ttms.sqlite'),
    UPLOADS_DIR: join(dir, 'uploads'),
    DEMO_DATA: 'false',
    CAPTCHA_FIXED_CODE: CAPTCHA_CODE,
    RATE_LIMITS: 'off',
    ADMIN_NAME: admin.name,
    ADMIN_PASSWORD: admin.password,
    SMS_DRIVER: 'webhook',
    SMS_WEBHOOK_URL: `${inbox.url}/sms`,
    // The flows' webhook receiver is the inbox, on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE: 'on',
    JWT_SECRET: 'integration-runs-only-secret',
    ARGON2_MEMORY_KIB: '4096',
    ARGON2_TIME_COST: '1',
    LOG_LEVEL: 'warn',
    PAYMENT_CHANNELS: 'mock,alipay',
    PUBLIC_BASE_URL: origin,
    ALIPAY_APP_ID,
    ALIPAY_PRIVATE_KEY: alipayKeys.app.privateKey,
    ALIPAY_PUBLIC_KEY: alipayKeys.gateway.publicKey,
    ALIPAY_GATEWAY: alipay.url,
    ...options.env,
  };
  // A fresh embedded database every run, whatever the caller's shell points at.
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL']) delete env[name];

  let server: AppServer;
  try {
    server = await startAppServer({
      entry: join(ROOT, 'dist', 'main.js'),
      cwd: ROOT,
      port,
      env,
      keepOutput: Infinity,
      name: 'the server',
    });
  } catch (error) {
    await close(inbox.server);
    await alipay.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    await server.stop();
    await close(inbox.server);
    await alipay.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    origin,
    baseUrl: `${origin}/api/v1`,
    smsInboxUrl: inbox.url,
    admin,
    captchaCode: CAPTCHA_CODE,
    alipayGatewayUrl: alipay.url.replace(/\/gateway\.do$/, ''),
    output: server.output,
    stop,
  };
}

/** Runs `work` against a fresh server and always stops the server, also on Ctrl-C. */
export async function withTestServer<T>(work: (server: TestServer) => Promise<T>): Promise<T> {
  const server = await startTestServer();
  const interrupt = () => {
    void server.stop().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await work(server);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await server.stop();
  }
}
