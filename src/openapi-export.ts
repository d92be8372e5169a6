/**
 * npm run openapi (after nest build, so the Swagger plugin has run): writes openapi.json from the app as it is built now, so that a change to the
 * API shows in review; test/openapi.e2e-spec.ts fails while the committed file differs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ttms-openapi-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_PATH: join(dir, 'openapi.sqlite'),
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    UPLOADS_DIR: join(dir, 'uploads'),
  });
  delete process.env.DATABASE_URL;
  const { createApp } = await import('./bootstrap');
  const { buildOpenApiDocument } = await import('./common/swagger/setup-swagger');
  const app = await createApp({ logger: false });
  try {
    const document = buildOpenApiDocument(app);
    writeFileSync(join(__dirname, '..', 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`openapi.json: ${Object.keys(document.paths).length} paths\n`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
