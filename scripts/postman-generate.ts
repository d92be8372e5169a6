/**
 * npm run postman: writes postman/ttms.postman_collection.json (every endpoint, from the OpenAPI document,
 * one folder per tag) and postman/ttms.postman_environment.json (the variables both collections use).
 * The document is openapi.json at the project root when it exists, else /docs-json of a freshly started
 * server. The output is stable (no random ids), so that a change to the API shows as a small diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, withTestServer } from './serve-test';

const API_PREFIX = '/api/v1';
const DEFAULT_BASE_URL = 'http://localhost:3000/api/v1';
const OUT_DIR = join(ROOT, 'postman');

type Json = Record<string, unknown>;

async function loadDocument(): Promise<{ document: Json; source: string }> {
  const file = join(ROOT, 'openapi.json');
  if (existsSync(file)) return { document: JSON.parse(readFileSync(file, 'utf8')) as Json, source: 'openapi.json' };
  const document = await withTestServer(async (server) => {
    const response = await fetch(`${server.origin}/docs-json`);
    if (!response.ok) throw new Error(`/docs-json answered HTTP ${response.status}`);
    return (await response.json()) as Json;
  });
  return { document, source: '/docs-json of a started server' };
}

/**
 * The converter's allOf merge refuses schemas whose parts disagree (a property typed in one part
 * and narrowed in another) and then shows "Could not resolve allOf schema" as the example. Merging
 * `allOf` of objects here, the later part's property winning, gives every example its real shape.
 */
function mergeAllOf(value: unknown, schemas: Record<string, Json>): unknown {
  if (Array.isArray(value)) return value.map((inner) => mergeAllOf(inner, schemas));
  if (value === null || typeof value !== 'object') return value;
  const node = Object.fromEntries(Object.entries(value as Json).map(([k, inner]) => [k, mergeAllOf(inner, schemas)]));
  if (!Array.isArray(node.allOf)) return node;
  const parts = (node.allOf as Json[]).map((part) =>
    typeof part.$ref === 'string' ? (schemas[part.$ref.split('/').pop() ?? ''] ?? {}) : part,
  );
  if (!parts.every((part) => part.type === undefined || part.type === 'object')) return node;
  const rest = { ...node };
  delete rest.allOf;
  return {
    ...rest,
    type: 'object',
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})) as Json,
    required: [...new Set(parts.flatMap((part) => (part.required as string[] | undefined) ?? []))],
  };
}

/** Paths relative to `{{baseUrl}}` (which carries /api/v1), so both collections share one variable. */
function prepare(document: Json): Json {
  const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
  const paths = Object.fromEntries(
    Object.entries(document.paths as Json).map(([path, item]) => [
      path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) || '/' : path,
      mergeAllOf(item, schemas),
    ]),
  );
  return { ...document, paths, servers: [{ url: DEFAULT_BASE_URL }] };
}

/** A fixed-seed generator (mulberry32), so that values faked for schemas without examples stay the same. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function convert(document: Json): Promise<Json> {
  // The converter's schema faker takes Math.random when it loads: seed it first.
  const random = Math.random;
  Math.random = seededRandom(20260101);
  try {
    const { convertV2 } = await import('openapi-to-postmanv2');
    return await new Promise<Json>((resolve, reject) => {
      convertV2(
        { type: 'json', data: document },
        { folderStrategy: 'Tags', parametersResolution: 'Example', requestNameSource: 'Fallback' },
        (error, result) => {
          if (error) return reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
          const data = result?.result ? result.output?.[0]?.data : undefined;
          if (!data) return reject(new Error(`conversion failed: ${result?.reason ?? 'no output'}`));
          resolve(data as Json);
        },
      );
    });
  } finally {
    Math.random = random;
  }
}

/**
 * Drops the random ids the converter gives every item (so that regenerating an unchanged API changes
 * nothing) and each example's copy of its request (half the file, and the request is right above it).
 */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Json)
      .filter(([key]) => !['id', '_postman_id', 'originalRequest'].includes(key))
      .map(([key, inner]) => [key, tidy(inner)]),
  );
}

/** Protected requests inherit the collection's bearer `{{token}}`; public ones send no Authorization. */
function useCollectionAuth(items: Json[]): void {
  for (const item of items) {
    if (Array.isArray(item.item)) useCollectionAuth(item.item as Json[]);
    const request = item.request as Json | undefined;
    if (!request) continue;
    if ((request.auth as Json | undefined)?.type === 'bearer') delete request.auth;
    else request.auth = { type: 'noauth' };
  }
}

function finish(collection: Json, source: string): Json {
  const stable = tidy(collection) as Json;
  useCollectionAuth(stable.item as Json[]);
  return {
    ...stable,
    info: {
      ...(stable.info as Json),
      _postman_id: '0b7f3f0e-6c4c-4c5e-9a39-7d1a2f1e0001',
      name: 'TTMS API (generated)',
      description: `Every TTMS endpoint, generated by \`npm run postman\` from ${source}; do not edit by hand. Set \`baseUrl\` and \`token\` in the TTMS environment (postman/ttms.postman_environment.json).`,
    },
    // Protected endpoints inherit this; public ones are sent with it too, which the API ignores.
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] },
    // The environment's baseUrl wins over this default.
    variable: [{ key: 'baseUrl', value: DEFAULT_BASE_URL, type: 'string' }],
  };
}

const environment = {
  id: '0b7f3f0e-6c4c-4c5e-9a39-7d1a2f1e0002',
  name: 'TTMS local',
  values: [
    { key: 'baseUrl', value: DEFAULT_BASE_URL, type: 'default', enabled: true },
    { key: 'token', value: '', type: 'secret', enabled: true },
    { key: 'captchaCode', value: 'abcd', type: 'default', enabled: true },
    { key: 'smsInboxUrl', value: 'http://127.0.0.1:3999', type: 'default', enabled: true },
    { key: 'adminName', value: 'admin', type: 'default', enabled: true },
    { key: 'adminPassword', value: '', type: 'secret', enabled: true },
    // A local Alipay gateway whose POST /simulate/scan pays a QR code (npm run test:postman starts one).
    { key: 'alipayGatewayUrl', value: 'http://127.0.0.1:3998', type: 'default', enabled: true },
  ],
  _postman_variable_scope: 'environment',
};

async function main(): Promise<void> {
  const { document, source } = await loadDocument();
  const collection = finish(await convert(prepare(document)), source);
  mkdirSync(OUT_DIR, { recursive: true });
  const write = (name: string, value: unknown) =>
    writeFileSync(join(OUT_DIR, name), `${JSON.stringify(value, null, 2)}\n`);
  write('ttms.postman_collection.json', collection);
  write('ttms.postman_environment.json', environment);
  const count = Object.values(document.paths as Record<string, Json>).reduce(
    (n, item) => n + Object.keys(item).length,
    0,
  );
  process.stdout.write(`postman/ttms.postman_collection.json: ${count} operations from ${source}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
