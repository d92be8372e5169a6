import { pendingSchemaChanges, scratchDatabase } from '../scripts/migration-tools';

const kind = process.env.TEST_DB_KIND === 'mysql' ? 'mysql' : 'sqlite';

describe(`Migrations (${kind})`, () => {
  it('should leave nothing to generate once every committed migration has run', async () => {
    const { dataSource, drop } = await scratchDatabase(kind, process.env.TEST_DATABASE_URL);
    try {
      const pending = await pendingSchemaChanges(dataSource);
      expect(pending.up).toEqual([]);
      const tables = await dataSource.query<Record<string, string>[]>(
        kind === 'mysql' ? 'SHOW TABLES' : "SELECT name FROM sqlite_master WHERE type = 'table'",
      );
      expect(tables.map((row) => Object.values(row)[0])).toEqual(
        expect.arrayContaining(['users', 'orders', 'seat_claims']),
      );
    } finally {
      await drop();
    }
  });
});
