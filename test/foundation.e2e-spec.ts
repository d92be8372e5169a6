import { bootTestApp, TestApp } from './support/test-app';

describe('Foundation: envelope, errors, health, docs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should answer health with the envelope and a real database check', async () => {
    const res = await t.http.get('/api/v1/health').expect(200);
    expect(res.body).toEqual({ code: 1000, msg: 'ok', data: { status: 'ok', db: 'up' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should echo a caller-supplied request id', async () => {
    const res = await t.http.get('/api/v1/health').set('X-Request-Id', 'trace-42').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-42');
  });

  it('should answer an unknown route with 404 and 1014', async () => {
    const res = await t.http.get('/api/v1/no-such-thing').expect(404);
    expect(res.body).toEqual({ code: 1014, msg: expect.any(String), data: null });
  });

  it('should answer malformed JSON with 400 and 1002', async () => {
    const res = await t.http
      .post('/api/v1/health')
      .set('Content-Type', 'application/json')
      .send('{"broken": ')
      .expect(400);
    expect(res.body).toEqual({ code: 1002, msg: expect.stringMatching(/JSON/), data: null });
  });

  it('should answer a JSON body over 1 MiB with 413 and 1002', async () => {
    const huge = JSON.stringify({ blob: 'x'.repeat(1024 * 1024 + 10) });
    const res = await t.http.post('/api/v1/health').set('Content-Type', 'application/json').send(huge).expect(413);
    expect(res.body.code).toBe(1002);
    expect(res.body.data).toBeNull();
  });

  it('should serve the OpenAPI document with the code table and bearer auth', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.description).toContain('| 2010 | 409 |');
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const health = res.body.paths['/api/v1/health'].get.responses['200'].content['application/json'].schema;
    expect(JSON.stringify(health)).toContain('#/components/schemas/HealthDto');
  });

  it('should serve Swagger UI', async () => {
    const res = await t.http.get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});
