/**
 * The OpenAPI document tells the truth (CONTRACT 16): every operation is called with its documented
 * examples on a live app, and every answer (status and body) is validated against the schema the
 * document gives for that status, with Ajv over the document's own components. Then the error
 * classes: 401 without a token on every secured operation, 1002 on bad input.
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { ResultCode } from '../src/common/result-code';
import { applicationBody } from './support/catalog';
import { givenShowtime, givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp, unique } from './support/test-app';

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  example?: unknown;
  schema?: Json;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Json; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
  security?: Record<string, string[]>[];
}
interface Call {
  method: string;
  path: string;
  operation: Operation;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

describe('OpenAPI document: answers validate against it', () => {
  let t: TestApp;
  let document: Json & { paths: Record<string, Record<string, Operation>>; components: { schemas: Json } };
  let ajv: Ajv;
  const validators = new Map<string, ValidateFunction>();

  let admin: GivenUser;
  let merchant: GivenUser;
  let customer: GivenUser;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await bootTestApp({ PAYMENT_CHANNELS: 'mock' });
    document = (await t.http.get('/docs-json').expect(200)).body;
    ajv = new Ajv({ strict: false, allErrors: true, discriminator: true });
    addFormats(ajv);
    for (const format of ['binary', 'int32', 'int64', 'float', 'double']) ajv.addFormat(format, true);
    ajv.addSchema({ ...document, $id: 'openapi' });

    admin = await givenUser(t, 'admin');
    customer = await givenUser(t, 'customer');
    const show = await givenShowtime(t);
    merchant = show.merchant;
    ids.cinema = show.cinema.id;
    ids.hall = show.hall.id;
    ids.movie = show.movie.id;
    ids.schedule = show.schedule.id;
    ids.user = (await givenUser(t, 'customer')).user.id;
    // An order of the customer's, paid, so that the qrcode and refund have something to show.
    const order = await t.http
      .post('/api/v1/orders')
      .set(customer.auth)
      .send({ scheduleId: show.schedule.id, seats: [{ row: 1, col: 1 }] })
      .expect(201);
    ids.order = order.body.data.id;
    await t.http.post(`/api/v1/orders/${ids.order}/pay`).set(customer.auth).send({ channel: 'mock' }).expect(200);
    // And one held, not paid: its `payment` is null, which the list and the order must document.
    await t.http
      .post('/api/v1/orders')
      .set(customer.auth)
      .send({ scheduleId: show.schedule.id, seats: [{ row: 2, col: 1 }] })
      .then((res) => expect(res.body).toMatchObject({ code: 1000 }));
    const application = await t.http
      .post('/api/v1/merchant-applications')
      .set((await givenUser(t, 'customer')).auth)
      .send(applicationBody(unique()))
      .expect(201);
    ids.application = application.body.data.id;
    // The voucher and the webhook from their documented examples.
    ids.voucher = (await seed('/api/v1/vouchers', { cinemaId: show.cinema.id, movieId: null })).id;
    ids.webhook = (await seed('/api/v1/webhooks', { cinemaId: show.cinema.id })).id;
  });

  async function seed(path: string, overrides: Json): Promise<{ id: number }> {
    const media = document.paths[path].post.requestBody!.content['application/json'];
    const body = { ...(exampleOf(media.schema) as Json), ...overrides };
    const res = await t.http.post(path).set(merchant.auth).send(body);
    if (res.status !== 201) throw new Error(`${path} from its example: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as { id: number };
  }

  afterAll(async () => {
    await t?.close();
  });

  function calls(): Call[] {
    const all = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ method, path, operation })),
    );
    // Destructive calls last: deletes, then logout (it revokes its token).
    const rank = (c: Call) => (c.path.endsWith('/logout') ? 2 : c.method === 'delete' ? 1 : 0);
    return all.sort((a, b) => rank(a) - rank(b));
  }

  function pointer(path: string, method: string, status: string, type: string): string {
    const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    return `openapi#/paths/${esc(path)}/${method}/responses/${status}/content/${esc(type)}/schema`;
  }

  /** What is wrong with an answer, by the document; empty when it validates. */
  function problems(call: Call, res: Response): string[] {
    const status = String(res.status);
    const documented = call.operation.responses[status];
    if (!documented) return [`HTTP ${status} is not documented (${JSON.stringify(res.body).slice(0, 200)})`];
    const type = String(res.headers['content-type'] ?? '').split(';')[0];
    const content = documented.content ?? {};
    if (!type || res.status === 204 || res.status === 304) {
      return Object.keys(content).length && res.status !== 304 ? [`HTTP ${status} without a body`] : [];
    }
    if (!content[type]) {
      return [`HTTP ${status} answered ${type}, documented ${Object.keys(content).join(', ') || 'no body'}`];
    }
    if (!type.endsWith('json')) return [];
    const key = pointer(call.path, call.method, status, type);
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: key });
      validators.set(key, validate);
    }
    if (validate(res.body)) return [];
    return [
      `HTTP ${status} body does not validate: ${ajv.errorsText(validate.errors)} (${JSON.stringify(res.body).slice(0, 300)})`,
    ];
  }

  function exampleOf(schema: Json | undefined): unknown {
    if (!schema) return undefined;
    if (schema.example !== undefined) return schema.example;
    if (typeof schema.$ref === 'string') {
      return exampleOf(document.components.schemas[schema.$ref.split('/').pop() as string] as Json);
    }
    if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s) => exampleOf(s as Json) ?? {}));
    if (Array.isArray(schema.enum)) return schema.enum[0];
    if (schema.type === 'array') {
      const item = exampleOf(schema.items as Json);
      return item === undefined ? [] : [item];
    }
    if (schema.type === 'object' || schema.properties) {
      const body: Json = {};
      const required = (schema.required as string[] | undefined) ?? [];
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
        const value = exampleOf(property);
        if (value !== undefined || required.includes(name)) body[name] = value;
      }
      return body;
    }
    return undefined;
  }

  /** A real id for a path's `{id}`, by the resource the path names. */
  function idFor(path: string, name: string): number {
    if (name === 'deliveryId') return 1;
    const resource = path.replace('/api/v1/', '').split('/')[0];
    const byResource: Record<string, string> = {
      users: 'user',
      'merchant-applications': 'application',
      cinemas: 'cinema',
      movies: 'movie',
      halls: 'hall',
      schedules: 'schedule',
      vouchers: 'voucher',
      orders: 'order',
      webhooks: 'webhook',
    };
    return ids[byResource[resource]] ?? 1;
  }

  function tokenFor(call: Call): GivenUser {
    const p = call.path;
    if (/\/(users$|users\/\{id\}|merchant-applications$|merchant-applications\/\{id\}|box-office)/.test(p)) {
      return admin;
    }
    if (/\/(orders|users\/me|merchant-applications\/mine)/.test(p)) return customer;
    if ((call.method === 'post' && p.endsWith('/cinemas')) || p.includes('/movies')) return admin;
    return merchant;
  }

  async function send(call: Call, options: { token?: GivenUser | null; badId?: boolean; badBody?: boolean } = {}) {
    const { operation } = call;
    let url = call.path;
    const query: Json = {};
    const headers: Record<string, string> = {};
    for (const p of operation.parameters ?? []) {
      const example = p.example ?? p.schema?.example;
      if (p.in === 'path') url = url.replace(`{${p.name}}`, options.badId ? 'abc' : String(idFor(call.path, p.name)));
      else if (example !== undefined && (p.required || p.in === 'query')) {
        if (p.in === 'query') query[p.name] = example;
        else headers[p.name] = typeof example === 'string' ? example : JSON.stringify(example);
      }
    }
    let req = t.http[call.method as 'get'](url).query(query).set(headers);
    if (options.token !== null) {
      const needs = operation.security?.some((s) => 'bearer' in s);
      if (needs) req = req.set((options.token ?? tokenFor(call)).auth);
    }
    const content = operation.requestBody?.content ?? {};
    if (content['multipart/form-data']) return req.attach('file', PNG, { filename: 'a.png', contentType: 'image/png' });
    if (content['application/x-www-form-urlencoded']) return req.type('form').send({ out_trade_no: 'x' });
    if (content['application/json']) {
      const media = content['application/json'];
      const body = options.badBody ? { unexpected: [1, 2, 3] } : (media.example ?? exampleOf(media.schema));
      return req.send(body as Json);
    }
    return req;
  }

  it('answers every operation, called with its documented examples, as documented', async () => {
    const failures: string[] = [];
    for (const call of calls()) {
      if (call.path.endsWith('/seats/stream')) continue; // checked on its own below
      const token = call.path.endsWith('/logout') ? await givenUser(t, 'customer') : undefined;
      const res = await send(call, { token });
      for (const problem of problems(call, res)) failures.push(`${call.method.toUpperCase()} ${call.path}: ${problem}`);
      // A read called with its documented examples (required query parameters included) succeeds.
      if (call.method === 'get' && res.status >= 300 && !(res.status === 404 && call.path.includes('deliveries'))) {
        failures.push(
          `GET ${call.path}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)} for its examples`,
        );
      }
    }
    expect(failures).toEqual([]);
  });

  it('documents the 401 of every secured operation called without a token', async () => {
    const failures: string[] = [];
    for (const call of calls().filter((c) => c.operation.security?.some((s) => 'bearer' in s))) {
      const res = await send(call, { token: null });
      if (res.status !== 401 || res.body.code !== ResultCode.NotLoggedIn.code) {
        failures.push(
          `${call.method.toUpperCase()} ${call.path}: HTTP ${res.status} ${res.body?.code} without a token`,
        );
      }
      for (const problem of problems(call, res)) failures.push(`${call.method.toUpperCase()} ${call.path}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it('documents the 1002 of bad input: a path id that is no number, a body of the wrong shape', async () => {
    const failures: string[] = [];
    const envelopeCalls = calls().filter((c) => !c.path.includes('/payments/') && !c.path.endsWith('/seats/stream'));
    for (const call of envelopeCalls) {
      const hasId = (call.operation.parameters ?? []).some((p) => p.in === 'path');
      const hasBody = Boolean(call.operation.requestBody?.content['application/json']);
      if (!hasId && !hasBody) continue;
      const res = await send(call, { badId: hasId, badBody: hasBody });
      if (res.status !== 400 || res.body.code !== ResultCode.InvalidParams.code) {
        failures.push(`${call.method.toUpperCase()} ${call.path}: HTTP ${res.status} ${res.body?.code} on bad input`);
      }
      for (const problem of problems(call, res)) failures.push(`${call.method.toUpperCase()} ${call.path}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it("documents the 413 of a form over the body limit on Alipay's notification", async () => {
    const call = {
      method: 'post',
      path: '/api/v1/payments/alipay/notify',
      operation: document.paths['/api/v1/payments/alipay/notify'].post,
    };
    const res = await t.http
      .post(call.path)
      .type('form')
      .send({ out_trade_no: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(problems(call, res)).toEqual([]);
  });

  it('documents the live seat stream: text/event-stream whose first event is a snapshot', async () => {
    const path = '/api/v1/schedules/{id}/seats/stream';
    const operation = document.paths[path].get;
    expect(operation.security).toEqual([]);
    // A showtime of its own: the first test deleted the shared one.
    const server = t.app.getHttpServer() as import('node:http').Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    const abort = new AbortController();
    const res = await fetch(
      `http://127.0.0.1:${port}${path.replace('{id}', String((await givenShowtime(t)).schedule.id))}`,
      {
        signal: abort.signal,
      },
    );
    const reader = res.body!.getReader();
    let received = '';
    while (!received.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += Buffer.from(value).toString();
    }
    abort.abort();
    const text = { type: String(res.headers.get('content-type')), first: received.split('\n\n')[0] };
    expect(`${text.type} ${received.slice(0, 300)}`).toMatch(/^text\/event-stream/);
    expect(Object.keys(operation.responses['200'].content ?? {})).toEqual(['text/event-stream']);
    const data = JSON.parse(
      text.first
        .split('\n')
        .find((line) => line.startsWith('data: '))!
        .slice(6),
    ) as Json;
    const validate = ajv.compile({ $ref: 'openapi#/components/schemas/SeatSnapshotEventDto' });
    expect(validate(data) ? [] : validate.errors).toEqual([]);
  });
});
