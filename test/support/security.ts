import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DataSource } from 'typeorm';
import { resolveDataSourceOptions } from '../../src/database/database.options';
import { ResultCode } from '../../src/common/result-code';
import type { TestApp } from './test-app';

/** A client address of its own, sent as X-Forwarded-For (the app trusts its loopback proxy). */
export const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/**
 * A database only this test file uses, so that row counts measure this file's requests alone: on
 * MySQL a fresh migrated database beside the run's (dropped afterwards); on SQLite bootTestApp's
 * fresh file already is one.
 */
export async function privateDatabase(): Promise<{ overrides: Record<string, string>; drop: () => Promise<void> }> {
  const runUrl = process.env.TEST_MYSQL_DATABASE_URL;
  if (process.env.TEST_DB_KIND !== 'mysql' || !runUrl) return { overrides: {}, drop: () => Promise.resolve() };
  const url = new URL(runUrl);
  const name = `${url.pathname.slice(1)}_p${randomBytes(3).toString('hex')}`.slice(0, 64);
  const server = new URL(runUrl);
  server.pathname = '/';
  const admin = await new DataSource({ type: 'mysql', url: server.toString() }).initialize();
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  url.pathname = `/${name}`;
  const migrator = await new DataSource(
    await resolveDataSourceOptions({ url: url.toString(), path: '', migrationsRun: false }),
  ).initialize();
  await migrator.runMigrations({ transaction: 'each' });
  await migrator.destroy();
  return {
    overrides: { DATABASE_URL: url.toString() },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.destroy();
    },
  };
}

/** Rows per table of the app's schema, read in one statement. */
export async function tableCounts(db: DataSource): Promise<Record<string, number>> {
  const tables = [...new Set(db.entityMetadatas.map((m) => m.tableName))].sort();
  const columns = tables.map(
    (table) => `(SELECT COUNT(*) FROM ${db.driver.escape(table)}) AS ${db.driver.escape(table)}`,
  );
  const [row] = await db.query<Record<string, unknown>[]>(`SELECT ${columns.join(', ')}`);
  return Object.fromEntries(tables.map((table) => [table, Number(row[table])]));
}

const STATUS_OF_CODE = new Map<number, number>(Object.values(ResultCode).map((c) => [c.code, c.status]));
/** What an error message must never carry: driver errors, stack frames, source paths. */
export const INTERNALS =
  /SQLITE_|ER_[A-Z_]{3,}|QueryFailedError|TypeORMError|\bat \S+ \(|\.(?:js|ts):\d+|node_modules|\/src\//;

/**
 * Problems with a JSON answer as the contract sees it: the envelope's shape, a known code paired
 * with its HTTP status (1002 also with 413; health's 5000 with 503), no internals in `msg`.
 */
export function envelopeProblems(status: number, body: unknown): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return ['body is not a JSON object'];
  const { code, msg } = body as { code?: unknown; msg?: unknown };
  const problems: string[] = [];
  if (typeof code !== 'number') problems.push('code is not a number');
  if (typeof msg !== 'string') problems.push('msg is not a string');
  if (!('data' in body)) problems.push('no data key');
  if (typeof code === 'number') {
    const expected = STATUS_OF_CODE.get(code);
    const paired =
      expected === status ||
      (code === 1000 && status === 201) ||
      (code === 1002 && status === 413) ||
      (code === 5000 && status === 503);
    if (expected === undefined) problems.push(`unknown code ${code}`);
    else if (!paired) problems.push(`code ${code} answered with HTTP ${status}`);
  }
  if (typeof msg === 'string' && INTERNALS.test(msg)) problems.push(`msg leaks internals: ${msg.slice(0, 200)}`);
  return problems;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The parsed body when the answer says it is JSON. */
  json?: unknown;
  /** Only the headers were read: an event stream was cut off after them. */
  streamed: boolean;
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given: no normalisation of `..`, no re-encoding. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Where to connect; loopback unless a test needs a peer address the app does not trust. */
  host?: string;
}

/** The port the app listens on (started on a free port of `host` the first time). */
export async function listeningPort(t: TestApp, host = '127.0.0.1'): Promise<number> {
  const server = t.app.getHttpServer() as import('node:http').Server;
  if (!server.listening) await t.app.listen(0, host);
  return (server.address() as AddressInfo).port;
}

/**
 * A plain HTTP request with full control of path, headers and body bytes (supertest and fetch both
 * tidy requests up). An event stream is closed once its headers arrive.
 */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 15_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    const headers: Record<string, string | number> = { ...req.headers };
    if (body) headers['Content-Length'] = body.length;
    const outgoing = httpRequest(
      { host: req.host ?? '127.0.0.1', port, method: req.method, path: req.path, headers },
      (res) => {
        const type = String(res.headers['content-type'] ?? '');
        if (type.startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0), streamed: true });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          let json: unknown;
          if (/^application\/json/.test(type)) {
            try {
              json = JSON.parse(raw.toString('utf8'));
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw, json, streamed: false });
        });
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** An address of this machine that is not loopback, if it has one: a peer the app does not trust as a proxy. */
export function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** A JWT built by hand: any header (alg none, HS512...), any claims, signed with any secret or not at all. */
export function craftJwt(header: Record<string, unknown>, claims: Record<string, unknown>, secret?: string): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  if (secret === undefined) return `${signingInput}.`;
  const algorithm = header.alg === 'HS512' ? 'sha512' : header.alg === 'HS384' ? 'sha384' : 'sha256';
  return `${signingInput}.${createHmac(algorithm, secret).update(signingInput).digest('base64url')}`;
}

export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}
