import { RATE_LIMITS } from '../src/auth/rate-limit';
import { AccountsTestApp, bootAccountsApp } from './support/accounts';
import { externalAddress, freshIp, listeningPort, rawRequest } from './support/security';
import { API } from './support/ticketing';

const external = externalAddress();

// Its own file: the app reads TRUST_PROXY once, when this process first loads it.
(external ? describe : describe.skip)('TRUST_PROXY: a load balancer in front of the app', () => {
  let b: AccountsTestApp;
  let port: number;

  beforeAll(async () => {
    b = await bootAccountsApp({ RATE_LIMITS: 'on', TRUST_PROXY: `loopback, ${external}` });
    port = await listeningPort(b.t, external);
  });

  afterAll(async () => {
    await b.close();
  });

  const send = (ip: string) =>
    rawRequest(port, {
      host: external!,
      method: 'POST',
      path: `${API}/auth/password/verify-code`,
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
      body: '{}',
    });

  it('should count each client the trusted proxy names in X-Forwarded-For on its own', async () => {
    // More requests than one address may send, each from its own client: none is limited.
    for (let i = 0; i <= RATE_LIMITS.login.limit; i++) expect((await send(freshIp())).status).toBe(400);
    const client = freshIp();
    for (let i = 0; i < RATE_LIMITS.login.limit; i++) expect((await send(client)).status).toBe(400);
    const limited = await send(client);
    expect([limited.status, (limited.json as { code: number }).code]).toEqual([429, 1012]);
  });
});
