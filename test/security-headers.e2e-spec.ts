import { Logger } from '@nestjs/common';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { QueryFailedError } from 'typeorm';
import { AccountPasswordService } from '../src/auth/account-password.service';
import { MoviesService } from '../src/catalog/movies.service';
import { EnvironmentVariables } from '../src/config/env.validation';
import { ProfileService } from '../src/users/profile.service';
import { givenUser } from './support/factories';
import { INTERNALS, listeningPort, rawRequest } from './support/security';
import { bootTestApp, TestApp } from './support/test-app';
import { API } from './support/ticketing';

const ROOT = resolve(__dirname, '..');
const ALLOWED = ['https://app.example.com', 'https://admin.example.com'];
const MiB = 1024 * 1024;

/**
 * Issue 12: helmet's headers, a CSP that Swagger UI lives with, CORS from an allow-list, body
 * limits, uploads served from outside the code and never listed or escaped, and in production an
 * unexpected error answers 5000 without internals. The app runs as in production here.
 */
describe('Security headers, CORS, limits, uploads, production errors (issue 12)', () => {
  let t: TestApp;
  let port: number;
  const logged: unknown[][] = [];

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    t = await bootTestApp({
      NODE_ENV: 'production',
      JWT_SECRET: 'production-secret-0123456789abcdef',
      CAPTCHA_FIXED_CODE: '',
      ARGON2_MEMORY_KIB: '19456',
      ARGON2_TIME_COST: '2',
      CORS_ORIGINS: ` ${ALLOWED.join(' , ')} `,
    });
    port = await listeningPort(t);
  });

  afterAll(async () => {
    await t.close();
    jest.restoreAllMocks();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    rawRequest(port, { method: 'GET', path, headers });

  describe('helmet', () => {
    it('should send the hardening headers on successes and errors alike, and no X-Powered-By', async () => {
      for (const res of [await get(`${API}/health`), await get(`${API}/no-such-route`), await get(`${API}/users/me`)]) {
        expect(res.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'referrer-policy': 'no-referrer',
          'strict-transport-security': expect.stringMatching(/max-age=\d+/),
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-resource-policy': 'same-origin',
          'content-security-policy': expect.stringContaining("default-src 'self'"),
        });
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  describe('CSP of the Swagger UI', () => {
    const directives = (csp: string) =>
      new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values]),
      );

    it('should allow only same-origin scripts, no eval, no plugins, no framing by others, no https upgrade', async () => {
      const docs = await get('/docs');
      expect(docs.status).toBe(200);
      const csp = directives(String(docs.headers['content-security-policy']));
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('script-src-attr')).toEqual(["'none'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
      expect(csp.get('base-uri')).toEqual(["'self'"]);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
      // The docs must also work over plain HTTP (a LAN address, a container port): nothing is forced to https.
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
    });

    it('should serve a page whose every script and stylesheet is a same-origin file the CSP admits', async () => {
      const docs = await get('/docs');
      const html = docs.body.toString('utf8');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      const assets = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"/gi)].map((m) => m[1]);
      expect(assets.filter((a) => /swagger-ui(-bundle|-standalone-preset|-init)?\.(js|css)$/.test(a))).toHaveLength(4);
      for (const asset of assets) {
        const url = new URL(asset, 'http://docs.local/docs');
        expect(url.host).toBe('docs.local');
        const res = await get(url.pathname);
        expect([asset, res.status]).toEqual([asset, 200]);
        expect(res.headers['content-type']).toMatch(/javascript|css|image\/png/);
      }
    });
  });

  describe('CORS from CORS_ORIGINS', () => {
    it('should answer an allowed origin with its own name, exposing the headers clients read, without credentials', async () => {
      for (const origin of ALLOWED) {
        const res = await get(`${API}/health`, { Origin: origin });
        expect(res.headers['access-control-allow-origin']).toBe(origin);
        expect(String(res.headers.vary)).toMatch(/Origin/);
        expect(String(res.headers['access-control-expose-headers'])).toMatch(/X-Request-Id.*Retry-After/);
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      }
    });

    it('should let an allowed origin preflight a POST with a token, JSON and an Idempotency-Key', async () => {
      const res = await rawRequest(port, {
        method: 'OPTIONS',
        path: `${API}/orders`,
        headers: {
          Origin: ALLOWED[0],
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED[0]);
      expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
      expect(String(res.headers['access-control-allow-headers'])).toBe('authorization,content-type,idempotency-key');
    });

    it.each(['https://evil.example.com', 'https://app.example.com.evil.com', 'http://app.example.com', 'null'])(
      'should not allow %s, in a request or a preflight',
      async (origin) => {
        const simple = await get(`${API}/health`, { Origin: origin });
        expect(simple.headers['access-control-allow-origin']).toBeUndefined();
        const preflight = await rawRequest(port, {
          method: 'OPTIONS',
          path: `${API}/orders`,
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
        });
        expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      },
    );
  });

  describe('body limits', () => {
    const post = (path: string, body: Buffer | string, headers: Record<string, string>) =>
      rawRequest(port, { method: 'POST', path: `${API}${path}`, headers, body });
    const envelope = (res: { status: number; json?: unknown }) => [res.status, (res.json as { code: number }).code];

    it('should answer JSON over 1 MiB with 413 + 1002, and take JSON just under it', async () => {
      const json = { 'Content-Type': 'application/json' };
      const over = await post('/auth/login', JSON.stringify({ account: 'x'.repeat(MiB) }), json);
      expect([over.status, over.json]).toEqual([413, { code: 1002, msg: expect.any(String), data: null }]);
      const under = await post('/auth/login', JSON.stringify({ account: 'x'.repeat(MiB - 100) }), json);
      expect(envelope(under)).toEqual([400, 1002]);
    });

    it('should count the inflated size: a small gzip that inflates past 1 MiB answers 413 + 1002', async () => {
      const bomb = gzipSync(JSON.stringify({ account: 'x'.repeat(8 * MiB) }));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const headers = { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' };
      expect(envelope(await post('/auth/login', bomb, headers))).toEqual([413, 1002]);
    });

    it('should answer a form body over 1 MiB with 413 + 1002', async () => {
      const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
      expect(envelope(await post('/auth/login', `account=${'x'.repeat(MiB + 10)}`, form))).toEqual([413, 1002]);
    });

    it('should answer an avatar over 2 MiB with 413 + 1002, and refuse an anonymous upload before reading it', async () => {
      const u = await givenUser(t);
      const big = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2 * MiB)]);
      const over = await t.http.post(`${API}/users/me/avatar`).set(u.auth).attach('file', big, 'a.png');
      expect([over.status, over.body.code, over.body.data]).toEqual([
        413,
        1002,
        [{ field: 'file', message: expect.any(String) }],
      ]);
      const anonymous = await t.http.post(`${API}/users/me/avatar`).attach('file', big, 'a.png');
      expect([anonymous.status, anonymous.body.code]).toEqual([401, 1007]);
    });
  });

  describe('uploads', () => {
    const uploads = () => join(t.dir, 'uploads');
    const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('image')]);

    it('should keep uploads outside the code folders, by default and as configured', async () => {
      const defaults = new EnvironmentVariables();
      for (const code of ['src', 'dist']) {
        expect(relative(join(ROOT, code), resolve(ROOT, defaults.UPLOADS_DIR))).toMatch(/^\.\./);
      }
      const u = await givenUser(t);
      const res = await t.http.post(`${API}/users/me/avatar`).set(u.auth).attach('file', PNG, 'a.png').expect(200);
      const name = String(res.body.data.avatarUrl).split('/').pop()!;
      expect(readdirSync(join(uploads(), 'avatars'))).toContain(name);
      for (const path of ['/package.json', '/uploads/package.json', '/src/main.ts', '/dist/main.js', '/.env']) {
        expect((await get(path)).status).toBe(404);
      }
    });

    it('should serve an avatar as the image its content is, with nosniff, even when it is also HTML', async () => {
      const u = await givenUser(t);
      const polyglot = Buffer.from('GIF89a<html><script>alert(document.cookie)</script></html>');
      const res = await t.http
        .post(`${API}/users/me/avatar`)
        .set(u.auth)
        .attach('file', polyglot, 'x.html')
        .expect(200);
      expect(res.body.data.avatarUrl).toMatch(/^\/uploads\/avatars\/[0-9a-f]{32}\.gif$/);
      const served = await get(res.body.data.avatarUrl);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe('image/gif');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers['content-security-policy']).toContain("script-src 'self'");
      const post = await rawRequest(port, { method: 'POST', path: res.body.data.avatarUrl, headers: {} });
      expect(post.status).toBe(404);
    });

    it('should list no folder and serve no dotfile', async () => {
      mkdirSync(join(uploads(), 'avatars'), { recursive: true });
      writeFileSync(join(uploads(), '.env'), 'JWT_SECRET=TOPSECRET');
      writeFileSync(join(uploads(), 'avatars', '.hidden.png'), 'TOPSECRET');
      for (const path of [
        '/uploads',
        '/uploads/',
        '/uploads/avatars',
        '/uploads/avatars/',
        '/uploads/.env',
        '/uploads/avatars/.hidden.png',
        '/uploads/%2eenv',
      ]) {
        const res = await get(path);
        expect([path, res.status]).toEqual([path, 404]);
        expect(res.body.toString('utf8')).not.toContain('TOPSECRET');
        expect(res.json).toEqual({ code: 1014, msg: expect.any(String), data: null });
      }
    });

    it.each([
      '/uploads/../secret.txt',
      '/uploads/..%2fsecret.txt',
      '/uploads/..%2Fsecret.txt',
      '/uploads/%2e%2e/secret.txt',
      '/uploads/%2e%2e%2fsecret.txt',
      '/uploads/avatars/../../secret.txt',
      '/uploads/avatars/..%2f..%2fsecret.txt',
      '/uploads/..%5csecret.txt',
      '/uploads/..\\secret.txt',
      '/uploads//../secret.txt',
      '/uploads/%252e%252e/secret.txt',
      '/uploads/..%00/secret.txt',
      '/uploads/../ttms.sqlite',
    ])('should refuse the path traversal %s', async (path) => {
      writeFileSync(join(t.dir, 'secret.txt'), 'TOPSECRET');
      const res = await get(path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.toString('latin1')).not.toMatch(/TOPSECRET|SQLite format/);
    });
  });

  describe('production errors', () => {
    const forbidden = (text: string, secrets: string[]) => {
      expect(text).not.toMatch(INTERNALS);
      for (const secret of secrets) expect(text).not.toContain(secret);
    };

    it('should answer an unexpected error with 5000 and nothing of its message or stack', async () => {
      const failure = new Error('boom: password=hunter2 at /work/main/src/catalog/movies.service.ts:42');
      jest.spyOn(t.app.get(MoviesService), 'list').mockRejectedValueOnce(failure);
      const res = await get(`${API}/movies`);
      expect([res.status, res.json]).toEqual([500, { code: 5000, msg: 'server error', data: null }]);
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      forbidden(res.body.toString('utf8'), ['boom', 'hunter2', 'stack']);
    });

    it('should not tell a database error, its SQL or its driver code', async () => {
      const u = await givenUser(t);
      const driverError = Object.assign(new Error("ER_NO_SUCH_TABLE: Table 'ttms.users' doesn't exist"), {
        code: 'ER_NO_SUCH_TABLE',
      });
      const failure = new QueryFailedError('SELECT password_hash FROM users WHERE id = ?', [u.user.id], driverError);
      jest.spyOn(t.app.get(ProfileService), 'me').mockRejectedValueOnce(failure);
      const res = await get(`${API}/users/me`, u.auth);
      expect([res.status, res.json]).toEqual([500, { code: 5000, msg: 'server error', data: null }]);
      forbidden(res.body.toString('utf8'), ['password_hash', 'SELECT', 'ttms.users']);
    });

    it('should answer a thrown non-Error with 5000 too', async () => {
      jest.spyOn(t.app.get(MoviesService), 'list').mockImplementationOnce(() => {
        throw 'a string, not an Error'; // eslint-disable-line @typescript-eslint/only-throw-error
      });
      expect((await get(`${API}/movies`)).json).toEqual({ code: 5000, msg: 'server error', data: null });
    });

    it('should log the failure with its request, but never the token or the passwords of the request', async () => {
      const u = await givenUser(t);
      logged.length = 0;
      jest.spyOn(t.app.get(AccountPasswordService), 'change').mockRejectedValueOnce(new Error('disk full'));
      const body = JSON.stringify({ oldPassword: 'OldSecret123', password: 'NewSecret456' });
      const headers = { 'Content-Type': 'application/json', ...u.auth };
      const res = await rawRequest(port, { method: 'POST', path: `${API}/users/me/password`, headers, body });
      expect(res.status).toBe(500);
      const text = JSON.stringify(logged, (_key, value: unknown) => (value instanceof Error ? value.stack : value));
      expect(text).toContain('disk full');
      expect(text).toContain('/users/me/password');
      for (const secret of [u.token, 'OldSecret123', 'NewSecret456']) expect(text).not.toContain(secret);
    });
  });
});
