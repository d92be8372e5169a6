/**
 * npm run test:postman: starts a server on a fresh database (scripts/serve-test.ts), runs
 * postman/flows.postman_collection.json against it with newman, and exits non-zero on any failed
 * assertion, script error or request error. The server always stops, also when the run fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, NewmanRunSummary } from 'newman';
import { ROOT, TestServer, withTestServer } from './serve-test';

interface Environment {
  values: { key: string; value: unknown; type?: string; enabled?: boolean }[];
  [key: string]: unknown;
}

/** The committed environment file, with the values of this run's server. */
function environmentFor(server: TestServer): Environment {
  const file = JSON.parse(readFileSync(join(ROOT, 'postman', 'ttms.postman_environment.json'), 'utf8')) as Environment;
  const values: Record<string, string> = {
    baseUrl: server.baseUrl,
    smsInboxUrl: server.smsInboxUrl,
    captchaCode: server.captchaCode,
    adminName: server.admin.name,
    adminPassword: server.admin.password,
    alipayGatewayUrl: server.alipayGatewayUrl,
  };
  const known = new Set(file.values.map((v) => v.key));
  const missing = Object.keys(values).filter((key) => !known.has(key));
  if (missing.length) throw new Error(`postman/ttms.postman_environment.json lacks ${missing.join(', ')}`);
  return { ...file, values: file.values.map((v) => (v.key in values ? { ...v, value: values[v.key] } : v)) };
}

function runFlows(server: TestServer): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    run(
      {
        collection: join(ROOT, 'postman', 'flows.postman_collection.json'),
        environment: environmentFor(server),
        reporters: ['cli'],
        timeoutRequest: 30_000,
      },
      (error, summary) => (error ? reject(error) : resolve(summary)),
    );
  });
}

/** Everything that makes the run fail, one line each; empty when it passed. */
function problems(summary: NewmanRunSummary): string[] {
  const { stats, failures, error } = summary.run;
  const found = failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.test ?? f.error.name}: ${f.error.message}`);
  if (error) found.push(`run error: ${error.message}`);
  if (stats.assertions.total === 0) found.push('no assertion ran');
  for (const kind of ['requests', 'assertions', 'testScripts', 'prerequestScripts'] as const) {
    if (stats[kind].failed > 0 && !failures.length) found.push(`${stats[kind].failed} ${kind} failed`);
  }
  return found;
}

async function main(): Promise<number> {
  return withTestServer(async (server) => {
    const summary = await runFlows(server);
    const found = problems(summary);
    const { requests, assertions } = summary.run.stats;
    if (found.length) {
      process.stderr.write(`\nserver output:\n${server.output()}\n`);
      process.stderr.write(`postman flows FAILED (${found.length}):\n  - ${found.join('\n  - ')}\n`);
      return 1;
    }
    process.stdout.write(`postman flows: ${requests.total} requests, ${assertions.total} assertions, all passed\n`);
    return 0;
  });
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
