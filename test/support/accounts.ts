import { randomInt } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { CodeTarget } from '../../src/auth/entities/code-target.entity';
import { bootTestApp, TestApp, unique } from './test-app';

/** The answer of every captcha in e2e runs (CAPTCHA_FIXED_CODE in test/support/test-app.ts). */
export const CAPTCHA_ANSWER = 'abcd';
export const GOOD_PASSWORD = 'Secret123';

export interface SentCode {
  target: string;
  code: string;
  purpose?: string;
}

/** Codes received by a real SMTP server (mail) or a real HTTP server (SMS webhook) started by the test. */
export class Inbox {
  readonly received: SentCode[] = [];

  latest(target: string): string {
    const found = [...this.received].reverse().find((m) => m.target === target);
    if (!found) throw new Error(`no code received for ${target}`);
    return found.code;
  }

  count(target: string): number {
    return this.received.filter((m) => m.target === target).length;
  }
}

export interface Mailbox {
  inbox: Inbox;
  url: string;
  close: () => Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const inbox = new Inbox();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const body = raw.slice(raw.indexOf('\r\n\r\n')).replace(/=\r?\n/g, '');
        const code = /^\s*(\d{6})\s*$/m.exec(body)?.[1] ?? '';
        for (const to of session.envelope.rcptTo) inbox.received.push({ target: to.address.toLowerCase(), code });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  return {
    inbox,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface SmsWebhook {
  inbox: Inbox;
  url: string;
  /** Answer this HTTP status instead of 200, to play a failing gateway. */
  failWith: number | null;
  bodies: unknown[];
  close: () => Promise<void>;
}

export async function startSmsWebhook(): Promise<SmsWebhook> {
  const inbox = new Inbox();
  const hook: SmsWebhook = { inbox, url: '', failWith: null, bodies: [], close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      if (hook.failWith) {
        res.writeHead(hook.failWith).end();
        return;
      }
      const body = JSON.parse(raw) as { phone: string; code: string; purpose: string };
      hook.bodies.push({ ...body, contentType: req.headers['content-type'] });
      inbox.received.push({ target: body.phone, code: body.code, purpose: body.purpose });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  hook.url = `http://127.0.0.1:${port}/sms`;
  hook.close = () => new Promise((resolve) => server.close(() => resolve()));
  return hook;
}

export interface AccountsTestApp {
  t: TestApp;
  mail: Mailbox;
  sms: SmsWebhook;
  close: () => Promise<void>;
}

/** The app with codes delivered to a local SMTP server and a local SMS webhook that the test reads. */
export async function bootAccountsApp(overrides: Record<string, string> = {}): Promise<AccountsTestApp> {
  const mail = await startMailbox();
  const sms = await startSmsWebhook();
  const t = await bootTestApp({ SMTP_URL: mail.url, SMS_DRIVER: 'webhook', SMS_WEBHOOK_URL: sms.url, ...overrides });
  return {
    t,
    mail,
    sms,
    close: async () => {
      await t.close();
      await mail.close();
      await sms.close();
    },
  };
}

export const newPhone = () => `1${randomInt(3, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
export const newEmail = () => `${unique('m')}@Example.com`;
export const newName = () => unique('n_');

export async function newCaptcha(t: TestApp): Promise<string> {
  const res = await t.http.get('/api/v1/captcha').expect(200);
  return res.body.data.captchaId as string;
}

export async function requestSmsCode(a: AccountsTestApp, phone: string, purpose = 'register'): Promise<string> {
  const captchaId = await newCaptcha(a.t);
  await a.t.http
    .post('/api/v1/auth/sms-code')
    .send({ phone, purpose, captchaId, captchaCode: CAPTCHA_ANSWER })
    .expect(200);
  return a.sms.inbox.latest(phone);
}

export async function requestEmailCode(a: AccountsTestApp, email: string, purpose = 'register'): Promise<string> {
  await a.t.http.post('/api/v1/auth/email-code').send({ email, purpose }).expect(200);
  return a.mail.inbox.latest(email.toLowerCase());
}

export interface RegisteredUser {
  id: number;
  name: string;
  phone: string;
  password: string;
  token: string;
  auth: { Authorization: string };
}

/** Signs up over HTTP by phone, the way a client does. */
export async function registerByPhone(
  a: AccountsTestApp,
  fields: Record<string, unknown> = {},
): Promise<RegisteredUser> {
  const phone = newPhone();
  const smsCode = await requestSmsCode(a, phone);
  const body = { name: newName(), password: GOOD_PASSWORD, phone, smsCode, ...fields };
  const res = await a.t.http.post('/api/v1/auth/register').send(body).expect(201);
  const token = res.body.data.token as string;
  return {
    id: res.body.data.user.id,
    name: body.name,
    phone,
    password: body.password,
    token,
    auth: { Authorization: `Bearer ${token}` },
  };
}

/** Logs in the way a client does (a fresh captcha each time) and expects `status`. */
export async function loginWithPassword(t: TestApp, account: string, password: string, status = 200) {
  const captchaId = await newCaptcha(t);
  return t.http
    .post('/api/v1/auth/login')
    .send({ account, password, captchaId, captchaCode: CAPTCHA_ANSWER })
    .expect(status);
}

/** Moves the target's last send 31 s back, so that the resend interval no longer holds. */
export async function allowResend(t: TestApp, target: string): Promise<void> {
  await t.db.getRepository(CodeTarget).update({ target }, { lastSentAt: new Date(Date.now() - 31_000) });
}
