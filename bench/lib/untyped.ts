import { createRequire } from 'node:module';

/**
 * better-sqlite3 and autocannon ship without type declarations (and no @types package is installed):
 * the few calls the bench makes are typed here, locally, rather than by an ambient module that would
 * also apply to the app's own code.
 */
const load = createRequire(__filename);

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  pragma(sql: string): unknown;
  exec(sql: string): void;
  close(): void;
}

export const Sqlite = load('better-sqlite3') as new (path: string) => SqliteDatabase;

export interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: CannonRequest, context: Record<string, unknown>) => CannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

export interface CannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  timeout?: number;
  headers?: Record<string, string>;
  requests?: CannonRequest[];
}

interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
}

export interface CannonResult {
  requests: Histogram;
  latency: Histogram;
  throughput: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

export const autocannon = load('autocannon') as (options: CannonOptions) => Promise<CannonResult>;
