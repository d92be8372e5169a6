import { DataSource } from 'typeorm';

type Done = (error: Error | null, connection?: PooledConnection) => void;

interface PooledConnection {
  query(sql: string, done: (error: Error | null) => void): void;
  release(): void;
}

interface MysqlPool {
  getConnection(done: Done): void;
}

/**
 * READ COMMITTED: a read after a row lock sees what the lock holder committed (REPEATABLE READ
 * would read the snapshot taken before the wait).
 */
const READ_COMMITTED = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';

/**
 * On a Galera node a read otherwise answers from what this node has applied so far, which may lag
 * a commit made through another node by a few milliseconds: a payment sent to one instance right
 * after the hold went through another would not find its order. 1 makes every read wait until the
 * node has applied what the cluster had committed when the read began (docs/ARCHITECTURE.md,
 * "Several database nodes").
 */
const CAUSAL_READS = 'SET SESSION wsrep_sync_wait = 1';

/**
 * Every connection of the pool carries the session settings the app relies on before its first
 * statement: TypeORM's query runners, its repositories and the raw statements all take their
 * connections from `pool.getConnection`, so that is where a new connection is set up, once.
 * Answers whether the server is a Galera node.
 */
export async function prepareMysqlSessions(dataSource: DataSource): Promise<{ galera: boolean }> {
  const galera = await isGaleraNode(dataSource);
  const settings = galera ? [READ_COMMITTED, CAUSAL_READS] : [READ_COMMITTED];
  const pool = (dataSource.driver as unknown as { pool: MysqlPool }).pool;
  const prepared = new WeakSet<PooledConnection>();
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (done: Done) =>
    getConnection((error, connection) => {
      if (error || !connection || prepared.has(connection)) return done(error, connection);
      connection.query(settings.join(';\n'), (setError) => {
        if (!setError) {
          prepared.add(connection);
          return done(null, connection);
        }
        connection.release();
        done(setError);
      });
    });
  return { galera };
}

/** `wsrep_on` exists on every MariaDB (OFF without a cluster) and not on MySQL. */
async function isGaleraNode(dataSource: DataSource): Promise<boolean> {
  try {
    const [row] = await dataSource.query<{ wsrepOn: number | string }[]>('SELECT @@wsrep_on AS wsrepOn');
    return Number(row?.wsrepOn) === 1 || row?.wsrepOn === 'ON';
  } catch {
    return false;
  }
}
