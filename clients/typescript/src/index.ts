/**
 * Typed client for the TTMS API. `schema.d.ts` beside this file is generated from the OpenAPI
 * document (`npm run client` in the TTMS repository); this file adds the envelope, the bearer token
 * and a few calls of the sale path. Everything else is reached through the typed openapi-fetch
 * methods (`GET`, `POST`, `PATCH`, `DELETE`) with `unwrap`/`unwrapPage`.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
export type Schemas = components['schemas'];
export type Captcha = Schemas['CaptchaDto'];
export type Session = Schemas['SessionDto'];
export type LoginBody = Schemas['LoginDto'];
export type RegisterBody = Schemas['RegisterDto'];
export type Showtime = Schemas['ShowtimeDto'];
export type SeatMap = Schemas['SeatMapDto'];
export type HoldBody = Schemas['CreateOrderDto'];
export type PayBody = Schemas['PayOrderDto'];
export type Order = Schemas['OrderDto'];
export type ShowtimeQuery = NonNullable<operations['Schedules_list']['parameters']['query']>;

/** The envelope every JSON answer comes in (CONTRACT section 1). */
export interface Envelope<D = unknown> {
  code: number;
  msg: string;
  data: D;
  total?: number;
}

/** One page of a paged list: its items and the number of items across all pages. */
export interface Page<T> {
  data: T[];
  total: number;
}

/**
 * An answer that is not a success: the HTTP status and the envelope's business code, message and
 * data (field errors on 1002). `code` is 0 when the body was not an envelope (a proxy's error page).
 */
export class TtmsError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
    readonly data: unknown = null,
  ) {
    super(`TTMS ${status} ${code}: ${msg}`);
    this.name = 'TtmsError';
  }

  /** Builds the error from an answer's status and body (parsed JSON, or text when it was not JSON). */
  static from(status: number, body: unknown): TtmsError {
    if (isEnvelope(body)) return new TtmsError(status, body.code, body.msg, body.data ?? null);
    const text = typeof body === 'string' ? body.slice(0, 200) : '';
    return new TtmsError(status, 0, text || `HTTP ${status}`, body ?? null);
  }
}

function isEnvelope(body: unknown): body is Envelope {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Envelope).code === 'number' &&
    typeof (body as Envelope).msg === 'string'
  );
}

/** What an openapi-fetch call resolves to. */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

type DataOf<T> = T extends { data: infer D } ? D : never;

function successOf<T>(answer: Answer<T>): T {
  const { data, error, response } = answer;
  if (!response.ok || data === undefined) throw TtmsError.from(response.status, error ?? data);
  if (isEnvelope(data) && data.code !== 1000) throw TtmsError.from(response.status, data);
  return data;
}

/** The `data` of a successful answer; any other answer throws a `TtmsError`. */
export async function unwrap<T extends { data: unknown }>(call: Promise<Answer<T>>): Promise<DataOf<T>> {
  return successOf(await call).data as DataOf<T>;
}

/** The items and `total` of a paged list; any other answer throws a `TtmsError`. */
export async function unwrapPage<T extends { data: unknown; total?: number }>(
  call: Promise<Answer<T>>,
): Promise<Page<DataOf<T> extends (infer I)[] ? I : never>> {
  const body = successOf(await call);
  return { data: body.data as never, total: body.total ?? 0 };
}

/** A successful answer that is not an envelope (an image); an error answer throws a `TtmsError`. */
async function unwrapRaw<T>(call: Promise<Answer<T>>): Promise<T> {
  return successOf(await call);
}

export interface TtmsClientOptions {
  /** Where the API is served, without `/api/v1` (the paths carry it): `https://tickets.example.com`. */
  baseUrl: string;
  /** A token from `login` or `register`, e.g. kept from an earlier visit. */
  token?: string | null;
  /** A fetch of your own (tests, server-side rendering); the global one by default. */
  fetch?: typeof fetch;
}

export interface IdempotencyOptions {
  /** Sent as `Idempotency-Key`: a retry with the same key does the work once (CONTRACT section 10). */
  idempotencyKey?: string;
}

export interface TtmsHelpers {
  /** The token sent as `Authorization: Bearer`, or null. */
  getToken(): string | null;
  /** Sets or clears (null) the token sent with every request. */
  setToken(token: string | null): void;
  /** A captcha to show (`image` is a data: URL for an `<img src>`) and answer in `login`. */
  captcha(): Promise<Captcha>;
  /** Signs in and keeps the session's token for the next requests. */
  login(body: LoginBody): Promise<Session>;
  /** Signs up (with an SMS or email code) and keeps the session's token. */
  register(body: RegisterBody): Promise<Session>;
  /** Revokes the token and forgets it. */
  logout(): Promise<void>;
  /** Showtimes on sale, soonest first; `{ data, total }`. */
  showtimes(query?: ShowtimeQuery): Promise<Page<Showtime>>;
  /** A showtime's seat map: every seat's state, zone, price and pair. */
  seatMap(scheduleId: number): Promise<SeatMap>;
  /** Holds seats: a pending order that lapses at `expiresAt` unless paid. */
  hold(body: HoldBody, options?: IdempotencyOptions): Promise<Order>;
  /** Pays a held order; with `mock` it answers the paid order with its `ticketCode`. */
  pay(orderId: number, body: PayBody, options?: IdempotencyOptions): Promise<Order>;
  /** One of the user's orders. */
  order(orderId: number): Promise<Order>;
  /** The ticket's QR code as SVG markup. */
  ticketQrSvg(orderId: number): Promise<string>;
  /** The ticket's QR code as a PNG (`URL.createObjectURL(blob)` for an `<img src>`). */
  ticketQrPng(orderId: number): Promise<Blob>;
}

export type TtmsClient = Client<paths> & TtmsHelpers;

/**
 * A client for one TTMS server. Its `GET`, `POST`, `PATCH` and `DELETE` are openapi-fetch's, typed
 * by the document; the helpers unwrap the envelope and throw `TtmsError` on any other answer.
 */
export function createTtmsClient(options: TtmsClientOptions): TtmsClient {
  let token = options.token ?? null;
  const api = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: options.fetch });
  const bearer: Middleware = {
    onRequest({ request }) {
      if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
  api.use(bearer);

  const idempotency = (o?: IdempotencyOptions) =>
    o?.idempotencyKey ? { 'Idempotency-Key': o.idempotencyKey } : undefined;

  const helpers: TtmsHelpers = {
    getToken: () => token,
    setToken: (next) => {
      token = next;
    },
    // The JSON envelope (the default); `?format=svg` answers the bare image instead.
    captcha: () => unwrap(api.GET('/api/v1/captcha') as Promise<Answer<{ data: Captcha }>>),
    async login(body) {
      const session = await unwrap(api.POST('/api/v1/auth/login', { body }));
      token = session.token;
      return session;
    },
    async register(body) {
      const session = await unwrap(api.POST('/api/v1/auth/register', { body }));
      token = session.token;
      return session;
    },
    async logout() {
      await unwrap(api.POST('/api/v1/auth/logout'));
      token = null;
    },
    showtimes: (query) => unwrapPage(api.GET('/api/v1/schedules', { params: { query } })),
    seatMap: (id) => unwrap(api.GET('/api/v1/schedules/{id}/seats', { params: { path: { id } } })),
    hold: (body, o) => unwrap(api.POST('/api/v1/orders', { body, params: { header: idempotency(o) } })),
    pay: (id, body, o) =>
      unwrap(api.POST('/api/v1/orders/{id}/pay', { body, params: { path: { id }, header: idempotency(o) } })),
    order: (id) => unwrap(api.GET('/api/v1/orders/{id}', { params: { path: { id } } })),
    ticketQrSvg: (id) =>
      unwrapRaw(
        api.GET('/api/v1/orders/{id}/qrcode', { params: { path: { id }, query: { format: 'svg' } }, parseAs: 'text' }),
      ),
    ticketQrPng: (id) =>
      unwrapRaw(
        api.GET('/api/v1/orders/{id}/qrcode', { params: { path: { id }, query: { format: 'png' } }, parseAs: 'blob' }),
      ),
  };
  return Object.assign(api, helpers);
}
