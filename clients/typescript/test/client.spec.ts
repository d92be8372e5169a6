import { createTtmsClient, TtmsError, unwrap, unwrapPage, type Order, type Showtime } from '../src';

/** true when A and B are the same type (never only equals never). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type Seen = { url: string; method: string; authorization: string | null; idempotencyKey: string | null };

/** A fetch that records each request and answers `status` with `body` (JSON unless a string). */
function fakeFetch(status: number, body: unknown, seen: Seen[]): typeof fetch {
  return (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    seen.push({
      url: request.url,
      method: request.method,
      authorization: request.headers.get('Authorization'),
      idempotencyKey: request.headers.get('Idempotency-Key'),
    });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/html' : 'application/json';
    return Promise.resolve(new Response(text, { status, headers: { 'Content-Type': type } }));
  };
}

describe('createTtmsClient', () => {
  it('should unwrap the envelope of a success into its data and send the bearer token set', async () => {
    const seen: Seen[] = [];
    const order = { id: 7, status: 'pending' };
    const ttms = createTtmsClient({
      baseUrl: 'http://api.test/',
      token: 't1',
      fetch: fakeFetch(201, { code: 1000, msg: 'ok', data: order }, seen),
    });
    await expect(ttms.hold({ scheduleId: 3, seats: [{ row: 1, col: 2 }] }, { idempotencyKey: 'k-1' })).resolves.toEqual(
      order,
    );
    expect(seen).toEqual([
      { url: 'http://api.test/api/v1/orders', method: 'POST', authorization: 'Bearer t1', idempotencyKey: 'k-1' },
    ]);
    ttms.setToken(null);
    await ttms.order(7);
    expect(seen[1]).toMatchObject({ url: 'http://api.test/api/v1/orders/7', method: 'GET', authorization: null });
  });

  it('should keep the token of a login', async () => {
    const seen: Seen[] = [];
    const session = { token: 'jwt-2', expiresIn: 3600, user: { id: 1 } };
    const ttms = createTtmsClient({
      baseUrl: 'http://api.test',
      fetch: fakeFetch(200, { code: 1000, msg: 'ok', data: session }, seen),
    });
    await ttms.login({ account: 'ann', password: 'x', captchaId: 'c', captchaCode: 'abcd' });
    expect(ttms.getToken()).toBe('jwt-2');
    await ttms.seatMap(4);
    expect(seen[1]).toMatchObject({ url: 'http://api.test/api/v1/schedules/4/seats', authorization: 'Bearer jwt-2' });
  });

  it('should answer a paged list as its items and total', async () => {
    const body = { code: 1000, msg: 'ok', data: [{ id: 1 }, { id: 2 }], total: 42 };
    const ttms = createTtmsClient({ baseUrl: 'http://api.test', fetch: fakeFetch(200, body, []) });
    await expect(ttms.showtimes({ page: 2, pageSize: 2 })).resolves.toEqual({
      data: [{ id: 1 }, { id: 2 }],
      total: 42,
    });
  });

  it('should throw a TtmsError with the status, code, msg and data of an error envelope', async () => {
    const fields = [{ field: 'seats', message: 'seats must not be empty' }];
    const ttms = createTtmsClient({
      baseUrl: 'http://api.test',
      fetch: fakeFetch(400, { code: 1002, msg: 'invalid request parameters', data: fields }, []),
    });
    const error = await ttms.hold({ scheduleId: 1, seats: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TtmsError);
    expect(error).toMatchObject({ status: 400, code: 1002, msg: 'invalid request parameters', data: fields });
  });

  it('should throw a TtmsError with code 0 for an answer that is not an envelope', async () => {
    const ttms = createTtmsClient({ baseUrl: 'http://api.test', fetch: fakeFetch(502, '<h1>Bad gateway</h1>', []) });
    await expect(ttms.order(1)).rejects.toMatchObject({ status: 502, code: 0, msg: '<h1>Bad gateway</h1>' });
  });

  it('should throw on a 2xx answer whose code is not 1000', async () => {
    const ttms = createTtmsClient({
      baseUrl: 'http://api.test',
      fetch: fakeFetch(200, { code: 1001, msg: 'failed', data: null }, []),
    });
    await expect(ttms.order(1)).rejects.toMatchObject({ status: 200, code: 1001, msg: 'failed' });
  });

  it('should type what unwrap and unwrapPage answer by the document (a never would let anything through)', () => {
    const ttms = createTtmsClient({ baseUrl: 'http://api.test', fetch: fakeFetch(200, {}, []) });
    const list = () => unwrapPage(ttms.GET('/api/v1/schedules'));
    const one = () => unwrap(ttms.GET('/api/v1/orders/{id}', { params: { path: { id: 1 } } }));
    const listed: Equal<Awaited<ReturnType<typeof list>>['data'][number], Showtime> = true;
    const got: Equal<Awaited<ReturnType<typeof one>>, Order> = true;
    expect([listed, got, typeof list, typeof one]).toEqual([true, true, 'function', 'function']);
  });
});
