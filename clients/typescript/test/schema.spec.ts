import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const committed = join(__dirname, '../src/schema.d.ts');

/** `npm run client` of the repository, writing to `out` instead of the committed file. */
function generate(out: string): string {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts.client;
  const args = script.split(/\s+/);
  expect(args[0]).toBe('openapi-typescript');
  expect(args.slice(-2)).toEqual(['-o', 'clients/typescript/src/schema.d.ts']);
  const cli = join(root, 'node_modules/openapi-typescript/bin/cli.js');
  execFileSync(process.execPath, [cli, ...args.slice(1, -2), '-o', out], { cwd: root, stdio: 'pipe' });
  return readFileSync(out, 'utf8');
}

describe('clients/typescript/src/schema.d.ts', () => {
  it('should be what openapi-typescript generates from openapi.json now (run `npm run client`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ttms-client-'));
    try {
      const fresh = generate(join(dir, 'schema.d.ts'));
      expect(fresh).toContain('export interface paths');
      // A plain equality: a diff of a 7000-line file would drown the message.
      const same = readFileSync(committed, 'utf8') === fresh;
      if (!same) throw new Error('clients/typescript/src/schema.d.ts is stale: run `npm run client` and commit it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
