/**
 * npm run test:browser: starts a server on a fresh database (scripts/serve-test.ts) and runs the tests of
 * test/browser/*.browser.ts in Debian's headless chromium through playwright-core. Screenshots go to
 * test-artifacts/. Prints `browser: N passed, M failed` and exits non-zero when any test failed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, BrowserContextOptions, chromium, Page } from 'playwright-core';
import { ROOT, TestServer, withTestServer } from './serve-test';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const TEST_DIR = join(ROOT, 'test', 'browser');
const TEST_TIMEOUT_MS = 60_000;

export interface BrowserTestContext {
  page: Page;
  server: TestServer;
  /** Content-Security-Policy violations and page errors the browser reported so far. */
  pageProblems: string[];
  /**
   * Another browser of its own (no cookies or storage shared with `page`), as a second customer's would be;
   * its pages' problems are added to `pageProblems`. Closed when the test ends.
   */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

export interface BrowserTest {
  name: string;
  run(context: BrowserTestContext): Promise<void>;
}

async function loadTests(): Promise<BrowserTest[]> {
  const files = readdirSync(TEST_DIR)
    .filter((name) => name.endsWith('.browser.ts'))
    .sort();
  const tests: BrowserTest[] = [];
  for (const file of files) {
    const module = (await import(join(TEST_DIR, file))) as { tests?: BrowserTest[] };
    if (!module.tests?.length) throw new Error(`test/browser/${file} exports no tests`);
    tests.push(...module.tests);
  }
  return tests;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

async function launch(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: CHROMIUM_ARGS,
  });
}

/** A second chromium for the tests that need contexts of their own, started on first use. */
let extraBrowser: Promise<Browser> | undefined;
function browserForContexts(): Promise<Browser> {
  extraBrowser ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return extraBrowser;
}

function watchProblems(page: Page, pageProblems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function runOne(test: BrowserTest, context: BrowserContext, server: TestServer): Promise<boolean> {
  const page = await context.newPage();
  const pageProblems: string[] = [];
  watchProblems(page, pageProblems);
  const contexts: BrowserContext[] = [];
  const newContext = async (options?: BrowserContextOptions): Promise<BrowserContext> => {
    const created = await (
      await browserForContexts()
    ).newContext({ viewport: { width: 1280, height: 900 }, ...options });
    created.on('page', (p) => watchProblems(p, pageProblems));
    contexts.push(created);
    return created;
  };
  try {
    await withTimeout(test.run({ page, server, pageProblems, newContext }), TEST_TIMEOUT_MS, test.name);
    process.stdout.write(`  ✓ ${test.name}\n`);
    return true;
  } catch (error) {
    const shot = join(ARTIFACTS, `failure-${test.name.replace(/\W+/g, '-').toLowerCase()}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    const others = contexts.flatMap((c) => c.pages());
    for (const [i, other] of others.entries()) {
      await other.screenshot({ path: shot.replace(/\.png$/, `-${i + 2}.png`), fullPage: true }).catch(() => undefined);
    }
    process.stdout.write(`  ✗ ${test.name}\n    ${error instanceof Error ? error.message : String(error)}\n`);
    if (pageProblems.length) process.stdout.write(`    browser reported:\n      ${pageProblems.join('\n      ')}\n`);
    process.stdout.write(`    screenshot: ${shot}\n`);
    return false;
  } finally {
    await page.close().catch(() => undefined);
    for (const created of contexts) await created.close().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)\n`);
    return 1;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const tests = await loadTests();
  let passed = 0;
  await withTestServer(async (server) => {
    const profileDir = mkdtempSync(join(tmpdir(), 'ttms-chromium-'));
    const context = await launch(profileDir);
    try {
      for (const test of tests) if (await runOne(test, context, server)) passed += 1;
    } finally {
      await context.close();
      if (extraBrowser) await (await extraBrowser).close();
      rmSync(profileDir, { recursive: true, force: true });
    }
  });
  const failed = tests.length - passed;
  process.stdout.write(`browser: ${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (status) => process.exit(status),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
