import { QueryFailedError } from 'typeorm';
import { isDuplicateKeyError } from './db-errors';
import { SqliteDirect } from './sqlite-direct';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sqlite = require('better-sqlite3') as new (path: string) => {
  exec(sql: string): void;
  prepare(sql: string): { get(...values: unknown[]): unknown };
};

describe('SqliteDirect', () => {
  const db = new Sqlite(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, at DATETIME, flag INTEGER, label TEXT UNIQUE)');
  const direct = new SqliteDirect(db as never);

  it('binds values as TypeORM writes them: integers as INTEGER, dates as UTC text, booleans as 0/1', () => {
    const at = new Date('2026-11-24T08:09:10.123Z');
    const { insertId, affected } = direct.run('INSERT INTO t (n, at, flag, label) VALUES (:n, :at, :flag, :label)', {
      n: 42,
      at,
      flag: true,
      label: 'a',
    });
    expect(affected).toBe(1);
    const row = db.prepare('SELECT typeof(n) AS kind, n, at, flag FROM t WHERE id = ?').get(insertId);
    expect(row).toEqual({ kind: 'integer', n: 42, at: '2026-11-24 08:09:10.123', flag: 1 });
  });

  it('fills a parameter named twice, and reads rows back', () => {
    direct.run('INSERT INTO t (n, label) VALUES (:v, :label)', { v: 7, label: 'b' });
    const rows = direct.all<{ label: string }>('SELECT label FROM t WHERE n = :v OR id = :v ORDER BY id', { v: 7 });
    expect(rows).toEqual([{ label: 'b' }]);
  });

  it('answers a constraint failure as a QueryFailedError the services recognise', () => {
    const insert = () => direct.run('INSERT INTO t (label) VALUES (:label)', { label: 'a' });
    expect(insert).toThrow(QueryFailedError);
    let caught: unknown;
    try {
      insert();
    } catch (error) {
      caught = error;
    }
    expect(isDuplicateKeyError(caught)).toBe(true);
  });

  it('refuses a statement whose parameter has no value instead of binding nothing', () => {
    expect(() => direct.all('SELECT * FROM t WHERE id = :id', {})).toThrow('no value for :id');
  });

  it('expands a list parameter into one bound value per element', () => {
    const rows = direct.all<{ label: string }>('SELECT label FROM t WHERE label IN (:...labels) AND n = :n', {
      labels: ['a', 'b', 'zz'],
      n: 7,
    });
    expect(rows).toEqual([{ label: 'b' }]);
    const more = direct.all<{ label: string }>('SELECT label FROM t WHERE label IN (:...labels) ORDER BY label', {
      labels: ['b', 'a'],
    });
    expect(more).toEqual([{ label: 'a' }, { label: 'b' }]);
    expect(() => direct.all('SELECT label FROM t WHERE label IN (:...labels)', { labels: [] })).toThrow(
      'non-empty list',
    );
  });
});
