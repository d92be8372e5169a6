import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootTestApp, TestApp } from './support/test-app';

type Operation = {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  tags?: string[];
  summary?: string;
};

describe('OpenAPI document', () => {
  let t: TestApp;
  let document: { paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    t = await bootTestApp();
    document = (await t.http.get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await t.close();
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ id: `${method.toUpperCase()} ${path}`, operation })),
    );

  it('should give every operation a summary, a tag and a documented success schema (none for 204)', () => {
    const lacking = operations()
      .filter(({ operation }) => {
        const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
        const schema = success?.[1].content && Object.values(success[1].content)[0]?.schema;
        // 204 No Content has no body to describe.
        return !operation.summary || !operation.tags?.length || (!schema && success?.[0] !== '204');
      })
      .map(({ id }) => id);
    expect(lacking).toEqual([]);
  });

  it('should match the committed openapi.json (run `npm run openapi` after changing the API)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'));
    expect(document).toEqual(committed);
  });
});
