import { DataSource } from 'typeorm';
import { bindIntegerParameters } from './sqlite-parameters';

describe('bindIntegerParameters (SQLite)', () => {
  const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
  beforeAll(async () => {
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    await dataSource.query('INSERT INTO t (id) VALUES (7)');
    bindIntegerParameters(dataSource.driver);
  });
  afterAll(() => dataSource.destroy());

  it('should bind safe integers as parameters and leave floats inlined', () => {
    const [sql, bound] = dataSource.driver.escapeQueryWithParameters(
      'SELECT :id AS id, :price AS price, :name AS name',
      { id: 63, price: 1.5, name: 'x' },
      {},
    );
    expect(sql).toBe('SELECT ? AS id, 1.5 AS price, ? AS name');
    expect(bound).toEqual([63n, 'x']);
  });

  it('should still read integers back as numbers', async () => {
    const row = await dataSource
      .createQueryBuilder()
      .select(':a + 1', 'v')
      .addSelect(':a / 2', 'half')
      .from('t', 't')
      .where('t.id = :id')
      .setParameters({ a: 41, id: 7 })
      .getRawOne<{ v: unknown; half: unknown }>();
    expect(row).toEqual({ v: 42, half: 20 });
  });
});
