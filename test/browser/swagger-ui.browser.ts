/**
 * Swagger UI in a real browser: every tag of the OpenAPI document is listed, Authorize takes a real
 * session token, and "Try it out" on GET /users/me answers the envelope with code 1000.
 * Run by `npm run test:browser` (scripts/browser-test.ts), not by jest.
 */
import { join } from 'node:path';
import type { BrowserTest, BrowserTestContext } from '../../scripts/browser-test';
import type { TestServer } from '../../scripts/serve-test';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function json<T>(response: Response, what: string): Promise<T> {
  const body = (await response.json()) as { code: number; data: T };
  check(response.ok && body.code === 1000, `${what}: HTTP ${response.status}, code ${body.code}`);
  return body.data;
}

/** The admin of the test server logs in the way a client does: captcha, then login. */
async function adminToken(server: TestServer): Promise<string> {
  const { captchaId } = await json<{ captchaId: string }>(await fetch(`${server.baseUrl}/captcha`), 'captcha');
  const login = await fetch(`${server.baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      account: server.admin.name,
      password: server.admin.password,
      captchaId,
      captchaCode: server.captchaCode,
    }),
  });
  return (await json<{ token: string }>(login, 'login')).token;
}

async function documentTags(server: TestServer): Promise<string[]> {
  const response = await fetch(`${server.origin}/docs-json`);
  check(response.ok, `/docs-json answered HTTP ${response.status}`);
  const document = (await response.json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
  const tags = Object.values(document.paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags ?? []));
  return [...new Set(tags)];
}

async function swaggerUi({ page, server, pageProblems }: BrowserTestContext): Promise<void> {
  const tags = await documentTags(server);
  check(tags.length > 0, 'the OpenAPI document has no tags');
  const token = await adminToken(server);

  await page.goto(`${server.origin}/docs`);
  await page.locator('.swagger-ui .info .title', { hasText: 'TTMS API' }).waitFor({ timeout: 15_000 });

  const listed = await page
    .locator('.opblock-tag')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-tag')));
  const missing = tags.filter((tag) => !listed.includes(tag));
  check(missing.length === 0, `tags not listed on /docs: ${missing.join(', ')}`);

  await page.locator('.auth-wrapper button.authorize').click();
  const modal = page.locator('.modal-ux');
  await modal.locator('input').first().fill(token);
  await modal.locator('button.modal-btn.authorize').click();
  await modal.getByText('Authorized', { exact: false }).first().waitFor();
  await modal.locator('button.btn-done').click();

  const operation = page.locator('#operations-users-Users_me');
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  await operation.locator('button.execute').click();

  const response = operation.locator('.live-responses-table .response').first();
  await response.waitFor({ timeout: 15_000 });
  const status = (await response.locator('.response-col_status').innerText()).trim();
  const body = await response.locator('.response-col_description pre').first().innerText();
  const curl = await operation.locator('.curl-command').innerText();
  check(curl.includes('Authorization: Bearer'), 'the request Swagger UI sent carried no bearer token');
  check(status === '200', `GET /users/me answered HTTP ${status} in Swagger UI`);
  check(/"code":\s*1000/.test(body), `the response panel does not show code 1000:\n${body}`);
  check(body.includes(server.admin.name), `the response panel does not show the admin's name:\n${body}`);

  // The executed operation: its path, the curl with the bearer token and the response panel.
  await operation.screenshot({ path: join(ARTIFACTS, 'swagger-ui.png') });
  const csp = pageProblems.filter((p) => /Content Security Policy/i.test(p));
  check(csp.length === 0, `the page broke Content-Security-Policy:\n${csp.join('\n')}`);
}

export const tests: BrowserTest[] = [
  { name: 'Swagger UI lists every tag and runs GET /users/me with Authorize', run: swaggerUi },
];
