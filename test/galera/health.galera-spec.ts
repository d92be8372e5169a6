import type { Connection } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { galeraUrls } from '../support/galera-urls';
import { sleep } from '../support/ticketing';
import { bootTestApp, TestApp } from '../support/test-app';

const WAIT_MS = 30_000;

/**
 * A node that leaves the cluster but keeps running (a network partition) still accepts connections
 * and answers `SELECT 1`; its instance must still answer health with 503 + 5000 (CONTRACT.md 15).
 */
describe('Galera: health of an instance whose node has left the cluster', () => {
  let t: TestApp;
  let node3: Connection;

  beforeAll(async () => {
    const url = galeraUrls(process.env.TEST_GALERA_DATABASE)[2];
    t = await bootTestApp({ DATABASE_URL: url });
    node3 = await createConnection({ uri: url });
  });

  afterAll(async () => {
    await isolate(false).catch(() => undefined);
    await node3.end();
    await t.close();
  });

  /** Cuts node 3 off from the other two (Galera's own switch for it), or lets it back. */
  const isolate = (cut: boolean) => node3.query(`SET GLOBAL wsrep_provider_options = 'gmcast.isolate=${cut ? 1 : 0}'`);
  const nodeState = async () => {
    const [rows] = await node3.query("SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'");
    return (rows as { Value: string }[])[0]?.Value;
  };
  const until = async (what: string, done: () => Promise<boolean>) => {
    const deadline = Date.now() + WAIT_MS;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`not ${what} within ${WAIT_MS} ms`);
      await sleep(250);
    }
  };
  const health = () => t.http.get('/api/v1/health');

  it('should answer 503 + 5000 while its node is cut off, and 200 again once it has rejoined', async () => {
    expect((await health()).status).toBe(200);
    await isolate(true);
    await until('cut off', async () => (await health()).status === 503);
    const down = await health();
    expect(down.body).toEqual({ code: 5000, msg: expect.any(String), data: { status: 'error', db: 'down' } });
    await isolate(false);
    await until('synced again', async () => (await nodeState()) === 'Synced');
    await until('healthy again', async () => (await health()).status === 200);
    expect((await health()).body.data).toEqual({ status: 'ok', db: 'up' });
  }, 90_000);
});
