import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { TokenService } from '../src/auth/token.service';
import type { Role } from '../src/common/decorators/auth.decorators';
import { User } from '../src/users/entities/user.entity';
import { givenShowtime, givenUser, GivenUser } from './support/factories';
import {
  envelopeProblems,
  listeningPort,
  privateDatabase,
  RawAnswer,
  rawRequest,
  tableCounts,
} from './support/security';
import { bootTestApp, TestApp } from './support/test-app';
import { buyTickets, hold } from './support/ticketing';

/**
 * Issue 12, fuzzing: every operation of the live OpenAPI document gets generated wrong input (bodies,
 * queries, path ids, headers, encodings) from an anonymous caller, a customer, a merchant and an
 * admin. Not one 5xx, every answer the envelope (or a documented non-JSON success), and no rejected
 * request changes how many rows any table holds.
 */

/** Generated requests per operation; each goes out once per caller. FUZZ_RUNS raises it for a long run. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  minLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema };
type OpenApiOperation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
};
type OpenApi = {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, Schema> };
};

interface Operation {
  method: string;
  path: string;
  spec: OpenApiOperation;
  /** Content types a 2xx of this operation may carry besides JSON (QR image, CSV, SVG, event stream). */
  rawSuccessTypes: string[];
}

interface FuzzRequest {
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Replaces the caller's bearer token when the caller is anonymous. */
  junkAuthorization?: string;
  label: string;
}

// ---- junk ----------------------------------------------------------------------------------------

const SQL_AND_SCRIPT = [
  "' OR 1=1 --",
  '1; DROP TABLE users; --',
  "' UNION SELECT password_hash FROM users --",
  '" OR ""="',
  "admin'--",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}${7*7}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\\',
];
const NUMERIC_STRINGS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '-1',
  '0',
  '9007199254740993',
  '0x10',
  '1.5',
  ' 1',
  '+1',
  '١٢٣',
  '１２３',
  '',
];
const UNICODE = [
  '😀🎬👨‍👩‍👧‍👦',
  '\u202Egnp.exe',
  'مرحبا بالعالم',
  'שלום',
  '\u200B\uFEFF',
  '𠜎𠜱',
  'Z̸̢̛a̡l̨g̛o',
  '\uFFFF',
  '\uD800',
];
const NUMBERS = [
  1e308,
  -1e308,
  -1,
  0,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  2 ** 31,
  2 ** 31 - 1,
  1.5,
  0.001,
  5e-324,
  100000.001,
];
const HUGE = ['x'.repeat(100_000), '😀'.repeat(25_000), "'".repeat(50_000), '9'.repeat(5_000)];
const MASS_ASSIGNMENT = [
  'role',
  'userId',
  'ownerId',
  'status',
  'amount',
  'ticketCode',
  'soldCount',
  'seatCount',
  'id',
  'isAdmin',
  'passwordHash',
  'tokenVersion',
  'disabled',
  '__proto__',
  'constructor',
];

/** Times and days at the edges: no offset, impossible dates, years 0 and 9999, past and far future. */
const TIMES = [
  '2026-02-30T10:00:00+08:00',
  '2026-12-01T19:30:00',
  '9999-12-31T23:59:59-14:00',
  '0000-01-01T00:00:00Z',
  '2020-01-01T00:00:00Z',
  '2099-06-01T12:00:00.123456789+08:00',
  '2026-12-01',
  '0000-01-01',
  '9999-12-31',
  '2026-13-01',
];

const junkString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SQL_AND_SCRIPT, ...NUMERIC_STRINGS, ...UNICODE, ...TIMES) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
);
const junkNumber = fc.oneof(fc.constantFrom(...NUMBERS), fc.integer(), fc.double());
const junkScalar = fc.oneof(junkString, junkNumber, fc.boolean(), fc.constant(null));
const { junk } = fc.letrec<{ junk: unknown }>((tie) => ({
  junk: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    junkScalar,
    fc.array(tie('junk'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...MASS_ASSIGNMENT), fc.string({ maxLength: 8 })), tie('junk'), {
      maxKeys: 3,
    }),
  ),
}));
/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD; encodeURIComponent would throw). */
const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
/** Junk fit for a URL: at most 300 characters before encoding, so that the request line stays legal. */
const junkText = fc.oneof(junkString, junkNumber.map(String)).map((s) => String(s).slice(0, 300));
const RAW_SEGMENTS = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%FF',
  '..%2F..%2Fpackage.json',
  '%2e%2e',
  '%00',
  '.',
  '..',
  'me',
  'null',
  '%20',
  '1;2',
  '1,2',
];
const junkSegment = fc.oneof(
  { weight: 3, arbitrary: junkText.map((s) => percentEncode(s)) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
);
const asciiJunk = fc.oneof(
  fc.constantFrom('', ' ', 'a b', 'k'.repeat(65), "' OR 1=1", '<script>', '../x', 'x'.repeat(2000)),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
);

// ---- the document --------------------------------------------------------------------------------

function operationsOf(doc: OpenApi): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, spec]) => {
      const success = Object.entries(spec.responses).filter(([status]) => status.startsWith('2'));
      const rawSuccessTypes = success
        .flatMap(([, r]) => Object.keys(r.content ?? {}))
        .filter((t) => t !== 'application/json');
      return { method: method.toUpperCase(), path, spec, rawSuccessTypes };
    }),
  );
}

function resolveSchema(doc: OpenApi, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolveSchema(doc, doc.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => resolveSchema(doc, s))) as Schema;
  return schema;
}

/** What the request would look like if it were right, so that one junk field is the only fault. */
function plausible(doc: OpenApi, raw: Schema | undefined, ids: Record<string, number>, name = ''): unknown {
  const schema = resolveSchema(doc, raw);
  if (ids[name] !== undefined) return ids[name];
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'array':
      return schema.items ? [plausible(doc, schema.items, ids)] : [];
    case 'string':
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    default:
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, plausible(doc, value, ids, key)]),
      );
  }
}

// ---- requests ------------------------------------------------------------------------------------

const encodeQuery = (pairs: [string, string][]) =>
  pairs.length ? `?${pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&')}` : '';

function multipart(parts: { field: string; filename: string; type: string; content: Buffer }[]) {
  const boundary = `fuzz${Math.random().toString(16).slice(2)}`;
  const chunks = parts.flatMap((p) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`,
    ),
    p.content,
    Buffer.from('\r\n'),
  ]);
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

const PNG_MAGIC = Buffer.from('89504e470d0a1a0a', 'hex');
const uploadArb = fc
  .array(
    fc.record({
      field: fc.constantFrom('file', 'avatar', 'file[]', ''),
      filename: fc.constantFrom('a.png', '../../etc/passwd', 'x.html', '😀.png', '.htaccess', 'a.php'),
      type: fc.constantFrom('image/png', 'text/html', 'application/x-php', 'application/octet-stream'),
      content: fc.oneof(
        fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
        fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.concat([PNG_MAGIC, Buffer.from(b)])),
        fc
          .constantFrom(...SQL_AND_SCRIPT, '<?php system($_GET["c"]); ?>', '<svg onload=alert(1)>')
          .map((s) => Buffer.from(s)),
      ),
    }),
    { maxLength: 2 },
  )
  .map((parts) => {
    const { type, body } = multipart(parts);
    return {
      headers: { 'Content-Type': type },
      body: body,
      label: 'multipart',
    };
  });

const MALFORMED_JSON = [
  '{"a":',
  "{'a':1}",
  '{"a":1}garbage',
  'NaN',
  '[1,2,]',
  '\uFEFF{}',
  '"just a string"',
  '42',
  'null',
  'true',
  '{"a":1,"a":2}',
  '{"__proto__":{"role":"admin"}}',
  '\u0000',
];

const EDGE_NUMBERS = [
  -1,
  0,
  1,
  2,
  6,
  7,
  49,
  50,
  51,
  100,
  101,
  600,
  601,
  2 ** 31 - 1,
  2 ** 31,
  0.5,
  1.005,
  100000,
  100000.01,
];

/**
 * A value of the type the schema asks for, at its edges: it passes the type checks and meets the
 * rules behind them (ranges, layouts, overlaps, states), which plain junk never reaches.
 */
function typedJunk(doc: OpenApi, raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveSchema(doc, raw);
  if (schema.enum?.length) return fc.oneof(fc.constantFrom(...schema.enum), junkString);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return fc.constantFrom(...EDGE_NUMBERS);
    case 'boolean':
      return fc.boolean();
    case 'string':
      return junkString;
    case 'array':
      return depth > 2 ? fc.constant([]) : fc.array(typedJunk(doc, schema.items, depth + 1), { maxLength: 7 });
    default: {
      const properties = Object.entries(schema.properties ?? {});
      if (depth > 2 || !properties.length) return junk;
      return fc.record(Object.fromEntries(properties.map(([k, v]) => [k, typedJunk(doc, v, depth + 1)])), {
        requiredKeys: [],
      });
    }
  }
}

function bodyArb(doc: OpenApi, op: Operation, ids: Record<string, number>) {
  const content = op.spec.requestBody?.content ?? {};
  if (content['multipart/form-data']) return uploadArb;
  const schema = content['application/json']?.schema;
  const base = schema ? (plausible(doc, schema, ids) as Record<string, unknown>) : {};
  const keys = Object.keys(base);
  const properties = resolveSchema(doc, schema).properties ?? {};
  /** The plausible body with fields replaced by junk, or with one field at an edge value of its own type. */
  const mutatedWith = (valueOf: (key: string) => fc.Arbitrary<unknown>, messy: boolean) =>
    fc
      .record({
        junked: !keys.length
          ? fc.constant([] as string[])
          : messy
            ? fc.subarray(keys, { minLength: 1 })
            : fc.constantFrom(...keys).map((key) => [key]),
        values: fc.tuple(...keys.map(valueOf)),
        dropped: messy ? fc.subarray(keys) : fc.constant([] as string[]),
        extra: messy
          ? fc.option(fc.tuple(fc.constantFrom(...MASS_ASSIGNMENT), junk), { nil: undefined })
          : fc.constant(undefined),
      })
      .map(({ junked, values, dropped, extra }) => {
        const body: Record<string, unknown> = { ...base };
        junked.forEach((key) => (body[key] = values[keys.indexOf(key)]));
        dropped.filter((key) => !junked.includes(key)).forEach((key) => delete body[key]);
        if (extra) Object.defineProperty(body, extra[0], { value: extra[1], enumerable: true });
        return body;
      });
  const mutated = mutatedWith((key) => fc.oneof(junk, typedJunk(doc, properties[key])), true);
  const typed = mutatedWith((key) => typedJunk(doc, properties[key]), false);
  const json = (value: unknown, label: string) => ({
    headers: { 'Content-Type': 'application/json' } as Record<string, string>,
    body: JSON.stringify(value) as Buffer | string | undefined,
    label,
  });
  return fc.oneof(
    { weight: 4, arbitrary: mutated.map((v) => json(v, 'json-mutated')) },
    { weight: 3, arbitrary: typed.map((v) => json(v, 'json-typed')) },
    { weight: 2, arbitrary: junk.map((v) => json(v, 'json-junk')) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...MALFORMED_JSON).map((s) => ({ ...json(0, 'json-malformed'), body: s })),
    },
    {
      weight: 1,
      arbitrary: mutated.map((v) => ({
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(
          Object.entries(v).map(([k, x]): [string, string] => [
            k,
            typeof x === 'string' ? x : (JSON.stringify(x) ?? ''),
          ]),
        ).toString(),
        label: 'form',
      })),
    },
    {
      weight: 1,
      arbitrary: junkString.map((s) => ({ headers: { 'Content-Type': 'text/plain' }, body: s, label: 'text' })),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        mutated.map((v) => ({
          headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
          body: gzipSync(JSON.stringify(v)),
          label: 'gzip',
        })),
        fc.constantFrom('gzip', 'deflate', 'br', 'x-junk').map((encoding) => ({
          headers: { 'Content-Type': 'application/json', 'Content-Encoding': encoding },
          body: '{"not":"compressed"}',
          label: 'bogus-encoding',
        })),
      ),
    },
    { weight: 1, arbitrary: fc.constant({ headers: {}, body: undefined, label: 'no-body' }) },
  );
}

function requestArb(doc: OpenApi, op: Operation, ids: Record<string, number>, realIds: number[]) {
  const params = op.spec.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  // A real showtime id opens the event stream: rawRequest hangs up once its headers arrive.
  const idChoices = [...realIds, 2147483647, 999999999];
  const pathValue = fc.oneof(
    { weight: 3, arbitrary: junkSegment },
    { weight: 1, arbitrary: fc.constantFrom(...idChoices).map(String) },
  );
  const queryValue = (p: Parameter) =>
    fc.option(fc.oneof(fc.constant(String(plausible(doc, p.schema, ids, p.name))), junkText), { nil: undefined });
  return fc
    .record({
      path: fc
        .tuple(...pathParams.map(() => pathValue))
        .map((values) => values.reduce((path, value, i) => path.replace(`{${pathParams[i].name}}`, value), op.path)),
      query: fc.tuple(...queryParams.map(queryValue)),
      extraQuery: fc.option(fc.tuple(fc.oneof(fc.constantFrom(...MASS_ASSIGNMENT, 'page'), junkText), junkText), {
        nil: undefined,
      }),
      body: bodyArb(doc, op, ids),
      idempotencyKey: fc.option(
        asciiJunk.filter((k) => !/^[A-Za-z0-9_-]{1,64}$/.test(k.trim())),
        { nil: undefined },
      ),
      requestId: fc.option(asciiJunk, { nil: undefined }),
      junkAuthorization: fc.option(
        fc.oneof(
          fc.constantFrom('Bearer', 'Basic YWRtaW46YWRtaW4=', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.e30.'),
          asciiJunk.map((s) => `Bearer ${s}`),
        ),
        { nil: undefined },
      ),
    })
    .map((r): FuzzRequest => {
      const pairs: [string, string][] = queryParams.flatMap((p, i): [string, string][] =>
        r.query[i] === undefined ? [] : [[p.name, r.query[i]]],
      );
      if (r.extraQuery) pairs.push(r.extraQuery);
      const headers: Record<string, string> = { ...r.body.headers };
      if (r.idempotencyKey !== undefined) headers['Idempotency-Key'] = r.idempotencyKey;
      if (r.requestId !== undefined) headers['X-Request-Id'] = r.requestId;
      if (op.path.endsWith('/stream')) headers['Last-Event-ID'] = r.requestId ?? '1';
      return {
        path: `${r.path}${encodeQuery(pairs)}`,
        headers,
        body: r.body.body,
        junkAuthorization: r.junkAuthorization,
        label: r.body.label,
      };
    });
}

// ---- the test ------------------------------------------------------------------------------------

describe('Fuzzing every operation of the OpenAPI document (issue 12)', () => {
  let t: TestApp;
  let port: number;
  let drop: () => Promise<void>;
  let doc: OpenApi;
  const callers: Record<Role, GivenUser> = {} as Record<Role, GivenUser>;
  const stats = { requests: 0, byStatus: new Map<number, number>(), rejectedCounted: 0, streams: 0 };

  beforeAll(async () => {
    const database = await privateDatabase();
    drop = database.drop;
    t = await bootTestApp(database.overrides);
    port = await listeningPort(t);
    doc = (await rawRequest(port, { method: 'GET', path: '/docs-json' })).json as OpenApi;
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  /** A fresh token per request: a fuzzed logout then revokes only that one. */
  async function authorization(role: Role): Promise<string> {
    const { token } = await t.app.get(TokenService).issueSession(callers[role].user);
    return `Bearer ${token}`;
  }

  /** A lucky fuzz request may be valid (approve, a role change...): put the callers back as they were. */
  async function restoreCallers(): Promise<void> {
    const users = t.db.getRepository(User);
    for (const role of Object.keys(callers) as Role[]) {
      const current = await users.findOneByOrFail({ id: callers[role].user.id });
      if (current.role !== role || current.disabled) {
        await users.update({ id: current.id }, { role, disabled: false });
        current.role = role;
        current.disabled = false;
      }
      callers[role].user = current;
    }
  }

  function problemsOf(op: Operation, answer: RawAnswer): string[] {
    if (answer.status >= 500 || answer.status < 200) return [`HTTP ${answer.status}`];
    const type = String(answer.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    if (answer.status < 300 && op.rawSuccessTypes.includes(type)) return [];
    // The providers' notification endpoints answer in the provider's own words (CONTRACT 12).
    if ((op.spec as { 'x-outside-envelope'?: boolean })['x-outside-envelope']) return [];
    if (type !== 'application/json') return [`content type "${type}" on HTTP ${answer.status}`];
    const problems = envelopeProblems(answer.status, answer.json);
    const body = answer.json as { code: number; data: unknown };
    if (answer.status >= 400 && body.data !== null && !(body.code === 1002 && Array.isArray(body.data))) {
      problems.push('an error answer carries data');
    }
    return problems;
  }

  async function send(op: Operation, req: FuzzRequest, role: Role | 'anonymous'): Promise<string[]> {
    const headers = { ...req.headers };
    if (role !== 'anonymous') headers.Authorization = await authorization(role);
    else if (req.junkAuthorization !== undefined) headers.Authorization = req.junkAuthorization;
    const before = await tableCounts(t.db);
    const answer = await rawRequest(port, { method: op.method, path: req.path, headers, body: req.body });
    stats.requests++;
    if (answer.streamed) stats.streams++;
    stats.byStatus.set(answer.status, (stats.byStatus.get(answer.status) ?? 0) + 1);
    const problems = problemsOf(op, answer);
    if (answer.status >= 400 && answer.status < 500) {
      stats.rejectedCounted++;
      const after = await tableCounts(t.db);
      const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
      if (changed.length) {
        problems.push(
          `rejected, yet rows changed in ${changed.map((x) => `${x} ${before[x]}->${after[x]}`).join(', ')}`,
        );
      }
    }
    if (answer.status < 300) await restoreCallers();
    if (!problems.length) return [];
    const shown = answer.body.toString('utf8').slice(0, 300);
    return [
      `${role} ${op.method} ${req.path.slice(0, 200)} [${req.label}] -> ${answer.status} ${shown}: ${problems.join('; ')}`,
    ];
  }

  it('should never answer 5xx or outside the envelope, and reject without changing any row count', async () => {
    for (const role of ['customer', 'merchant', 'admin'] as const) callers[role] = await givenUser(t, role);
    const show = await givenShowtime(t, { hall: { rows: 6, cols: 8 } });
    const paid = await buyTickets(t.http, callers.customer, show.schedule.id, [{ row: 1, col: 1 }]);
    const pending = await hold(t.http, callers.customer, show.schedule.id, [{ row: 2, col: 2 }]).expect(201);
    const bystander = await givenUser(t, 'customer');
    const application = await t.http
      .post('/api/v1/merchant-applications')
      .set(bystander.auth)
      .send({
        cinemaName: 'Fuzz Cinema',
        city: 'Shanghai',
        address: '1 Road',
        legalPerson: 'L',
        contactName: 'C',
        contactPhone: '021-1234',
      })
      .expect(201);
    // Ids a request may point at: the fixture's own resources, so that junk meets real rows too.
    const ids = {
      scheduleId: show.schedule.id,
      hallId: show.hall.id,
      cinemaId: show.cinema.id,
      movieId: show.movie.id,
      ownerId: bystander.user.id,
    };
    const realIds = [
      show.schedule.id,
      show.hall.id,
      show.cinema.id,
      show.movie.id,
      paid.id,
      pending.body.data.id,
      application.body.data.id,
      bystander.user.id,
    ];

    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThanOrEqual(50);
    const started = Date.now();
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(requestArb(doc, op, ids, realIds), async (req) => {
          const problems: string[] = [];
          for (const role of ['anonymous', 'customer', 'merchant', 'admin'] as const) {
            problems.push(...(await send(op, req, role)));
          }
          if (problems.length) throw new Error(problems.join('\n'));
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
    const statuses = [...stats.byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}:${n}`)
      .join(' ');
    process.stdout.write(
      `fuzz (${process.env.TEST_DB_KIND}): ${stats.requests} requests to ${operations.length} operations in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s, ${stats.rejectedCounted} rejected with row counts checked, ${stats.streams} event streams opened; ${statuses}\n`,
    );
    // About 10 s on SQLite and 20 s on MariaDB alone; room for a busy machine running the whole suite.
  }, 180_000);

  describe('inputs found by fuzzing', () => {
    it('should answer a JSON body nested deeper than the limit with 400 + 1002, not a stack overflow', async () => {
      const admin = await givenUser(t, 'admin');
      for (const depth of [40, 5_000, 100_000]) {
        const body = `{"scheduleId":1,"seats":${'['.repeat(depth)}${']'.repeat(depth)}}`;
        const headers = { 'Content-Type': 'application/json', Authorization: admin.auth.Authorization };
        const answer = await rawRequest(port, { method: 'POST', path: '/api/v1/orders', headers, body });
        expect([answer.status, (answer.json as { code: number }).code]).toEqual([400, 1002]);
      }
    });

    it('should refuse null for a field that cannot be cleared with 1002 naming it, leaving the user as it was', async () => {
      const admin = await givenUser(t, 'admin');
      const target = await givenUser(t, 'customer');
      const cases: [string, Record<string, string>, Record<string, unknown>, string][] = [
        [`/api/v1/users/${target.user.id}`, admin.auth, { role: null }, 'role'],
        [`/api/v1/users/${target.user.id}`, admin.auth, { disabled: null }, 'disabled'],
        ['/api/v1/users/me', target.auth, { name: null }, 'name'],
        ['/api/v1/users/me', target.auth, { gender: null }, 'gender'],
      ];
      for (const [path, auth, body, field] of cases) {
        const headers = { 'Content-Type': 'application/json', ...auth };
        const answer = await rawRequest(port, { method: 'PATCH', path, headers, body: JSON.stringify(body) });
        const json = answer.json as { code: number; data: { field: string }[] };
        expect([answer.status, json.code, json.data.map((e) => e.field)]).toEqual([400, 1002, [field]]);
      }
      const row = await t.db.getRepository(User).findOneByOrFail({ id: target.user.id });
      expect(row).toMatchObject({ role: 'customer', disabled: false, name: target.user.name, gender: 'unknown' });
    });

    it('should answer JSON text with an unpaired surrogate with 400 + 1002 (it crashed the email check)', async () => {
      const customer = await givenUser(t, 'customer');
      const cases: [string, string][] = [
        ['/api/v1/auth/email-code', '{"email":"\\ud800","purpose":"reset"}'],
        ['/api/v1/auth/login', '{"email":"a\\udc00@example.com","emailCode":"123456"}'],
        ['/api/v1/merchant-applications', '{"cinemaName":"x\\ud83d","email":"\\ud800@x.com"}'],
        ['/api/v1/merchant-applications', '{"\\ud800":1}'],
      ];
      for (const [path, body] of cases) {
        const headers = { 'Content-Type': 'application/json', ...customer.auth };
        const answer = await rawRequest(port, { method: 'POST', path, headers, body });
        expect([path, answer.status, (answer.json as { code: number }).code]).toEqual([path, 400, 1002]);
      }
    });

    it('should answer a body that does not inflate as its Content-Encoding says with 400 + 1002', async () => {
      const admin = await givenUser(t, 'admin');
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const headers = { 'Content-Type': 'application/json', 'Content-Encoding': encoding, ...admin.auth };
        const answer = await rawRequest(port, { method: 'POST', path: '/api/v1/halls', headers, body: '{"a":1}' });
        expect([answer.status, (answer.json as { code: number }).code]).toEqual([400, 1002]);
      }
    });
  });
});
