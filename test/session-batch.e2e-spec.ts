import { SessionRepository } from '../src/auth/session.repository';
import { TokenService } from '../src/auth/token.service';
import { User } from '../src/users/entities/user.entity';
import { givenUser, GivenUser } from './support/factories';
import { bootTestApp, TestApp } from './support/test-app';
import { API, selectsDuring } from './support/ticketing';

/** The guard's session reads of one tick of the event loop share one query: each request must still get its own answer. */
describe('Session reads shared by the requests of one tick', () => {
  let t: TestApp;
  let alice: GivenUser;
  let aliceSecond: string;
  let bob: GivenUser;
  let carol: GivenUser;
  let dave: GivenUser;

  beforeAll(async () => {
    t = await bootTestApp();
    alice = await givenUser(t);
    aliceSecond = (await t.app.get(TokenService).issueSession(alice.user)).token;
    bob = await givenUser(t);
    carol = await givenUser(t);
    dave = await givenUser(t);
    await t.http.post(`${API}/auth/logout`).set(alice.auth).expect(200);
    await t.db.getRepository(User).update({ id: carol.user.id }, { disabled: true });
    await t.db.getRepository(User).update({ id: dave.user.id }, { tokenVersion: 1 });
  });

  afterAll(async () => {
    await t.close();
  });

  const tokenIdOf = async (token: string) => (await t.app.get(TokenService).verify(token)).jti;

  it('should answer each token of a tick from one query, without mixing users or tokens up', async () => {
    const sessions = t.app.get(SessionRepository);
    const pairs = [
      [alice.user.id, await tokenIdOf(alice.token)],
      [alice.user.id, await tokenIdOf(aliceSecond)],
      [bob.user.id, await tokenIdOf(bob.token)],
      [carol.user.id, await tokenIdOf(carol.token)],
      [dave.user.id, await tokenIdOf(dave.token)],
      [2_000_000_000, 'no-such-token'],
    ] as const;
    let states: Awaited<ReturnType<SessionRepository['findSessionState']>>[] = [];
    const selects = await selectsDuring(t.db, /users/i, async () => {
      states = await Promise.all(pairs.map(([userId, tokenId]) => sessions.findSessionState(userId, tokenId)));
    });
    expect(selects).toHaveLength(1);
    expect(states).toEqual([
      { role: 'customer', tokenVersion: 0, disabled: false, revoked: true },
      { role: 'customer', tokenVersion: 0, disabled: false, revoked: false },
      { role: 'customer', tokenVersion: 0, disabled: false, revoked: false },
      { role: 'customer', tokenVersion: 0, disabled: true, revoked: false },
      { role: 'customer', tokenVersion: 1, disabled: false, revoked: false },
      null,
    ]);
  });

  it('should let through exactly the live tokens among concurrent requests, each as its own user', async () => {
    const cases = [
      { token: alice.token, expect: 1007 },
      { token: aliceSecond, expect: alice.user.name },
      { token: bob.token, expect: bob.user.name },
      { token: carol.token, expect: 1007 },
      { token: dave.token, expect: 1007 },
    ];
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        [...cases, ...cases].map(({ token }) => t.http.get(`${API}/users/me`).set('Authorization', `Bearer ${token}`)),
      );
      const seen = answers.map((res) => (res.status === 200 ? res.body.data.name : res.body.code));
      expect(seen).toEqual([...cases, ...cases].map((c) => c.expect));
    }
  });
});
