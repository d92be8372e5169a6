import { In, IsNull, Not } from 'typeorm';
import { Delivery } from '../src/notifications/entities/delivery.entity';
import { OutboxEvent } from '../src/outbox/entities/outbox-event.entity';
import { AppProcess, startAppProcesses, stopAppProcesses } from './support/app-process';
import { givenShowtime, GivenShowtime, givenUser, GivenUser } from './support/factories';
import { NotificationReceiver } from './support/notification-receiver';
import { ownDatabase } from './support/own-database';
import { buildOnce } from './support/spawn-app';
import { bootTestApp, TestApp } from './support/test-app';
import { API, hold, pay, Seat } from './support/ticketing';

/** The claim an attempt holds (retry-schedule.ts CLAIM_MS): a killed instance's attempt is made again after it. */
const CLAIM_LEASE_MS = 15_000;
/** Every instance's schedule here: two more attempts, a second apart, after the first. */
const RETRY_SCHEDULE = '1,1';
const ATTEMPTS_IN_ALL = 3;
/** How long the receiver must stay quiet to show that nothing more comes. */
const QUIET_MS = 4_000;

/**
 * CONTRACT 14, "nothing is lost: an instance killed at any moment leaves its events to be sent by
 * another instance or after the restart. An attempt is made by one instance at a time, so a receiver
 * sees each event once unless an attempt failed or was cut off", through real server processes on
 * a MariaDB database of this file's own (no other file's worker may take its deliveries), sending to
 * a real HTTP receiver on 127.0.0.1. The in-process app only makes the data and reads the rows: its
 * worker is off. Only MySQL/MariaDB can be shared by separate processes here.
 */
(process.env.TEST_DB_KIND === 'mysql' ? describe : describe.skip)(
  'Notifications through killed and concurrent app processes (CONTRACT 14)',
  () => {
    let t: TestApp;
    let database: Awaited<ReturnType<typeof ownDatabase>>;
    let appEnv: Record<string, string>;
    const started: AppProcess[] = [];
    const receivers: NotificationReceiver[] = [];

    beforeAll(async () => {
      database = await ownDatabase();
      t = await bootTestApp({
        DATABASE_URL: database.url,
        DB_MIGRATIONS_RUN: 'true',
        SWEEP_SECONDS: '3600',
        NOTIFICATION_WORKER: 'off',
        WEBHOOK_ALLOW_PRIVATE: 'on',
      });
      const redis = process.env.TEST_REDIS_URL;
      appEnv = {
        DATABASE_URL: database.url,
        JWT_SECRET: process.env.JWT_SECRET as string,
        ...(redis ? { REDIS_URL: redis } : {}),
        WEBHOOK_ALLOW_PRIVATE: 'on',
        WEBHOOK_RETRY_SCHEDULE: RETRY_SCHEDULE,
      };
      // The build, once, before the first test's clock starts.
      await buildOnce();
    }, 180_000);

    afterAll(async () => {
      await stopAppProcesses(started);
      await Promise.all(receivers.map((receiver) => receiver.close()));
      await t?.close();
      await database?.drop();
    }, 60_000);

    async function instances(count: number, env: Record<string, string> = {}): Promise<AppProcess[]> {
      const apps = await startAppProcesses(count, { ...appEnv, ...env });
      started.push(...apps);
      return apps;
    }

    async function receiver(answer: number | 'hang' = 200): Promise<NotificationReceiver> {
      const opened = await NotificationReceiver.start(answer);
      receivers.push(opened);
      return opened;
    }

    /** The showtime's cinema sends its order.paid events to `to`, through the API as its owner does. */
    async function subscribe(showtime: GivenShowtime, to: NotificationReceiver): Promise<number> {
      const res = await t.http
        .post(`${API}/webhooks`)
        .set(showtime.merchant.auth)
        .send({ cinemaId: showtime.cinema.id, url: to.url, events: ['order.paid'] });
      if (res.status !== 201) throw new Error(`webhook: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data.id as number;
    }

    /** Holds `seats` and pays (mock) through `app`; answers the order id. */
    async function buy(app: AppProcess, customer: GivenUser, scheduleId: number, seats: Seat[]): Promise<number> {
      const held = await hold(app.http, customer, scheduleId, seats);
      if (held.status !== 201) throw new Error(`hold: ${held.status} ${JSON.stringify(held.body)}`);
      const paid = await pay(app.http, customer, held.body.data.id);
      if (paid.status !== 200) throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.body)}`);
      return held.body.data.id as number;
    }

    /** `it`, and on a failure the tail of what each instance started here logged (LOG_LEVEL=error). */
    const itLogged = (name: string, body: () => Promise<void>, timeoutMs: number) =>
      it(
        name,
        async () => {
          try {
            await body();
          } catch (error) {
            console.log(
              started
                .map((app, i) => `--- instance ${i + 1} (pid ${app.pid}) logged:\n${app.output().slice(-1500)}`)
                .join('\n'),
            );
            throw error;
          }
        },
        timeoutMs,
      );

    const seatOf = (i: number, cols: number): Seat => ({ row: Math.floor(i / cols) + 1, col: (i % cols) + 1 });
    const users = (n: number) => Promise.all(Array.from({ length: n }, () => givenUser(t)));

    /** The orders' order.paid events, each with its deliveries, as the database holds them. */
    async function paidEventsOf(orderIds: number[]) {
      const events = await t.db
        .getRepository(OutboxEvent)
        .find({ where: { orderId: In(orderIds), type: 'order.paid' }, order: { id: 'ASC' } });
      const deliveries = events.length
        ? await t.db.getRepository(Delivery).findBy({ eventRowId: In(events.map((event) => event.id)) })
        : [];
      return events.map((event) => ({
        orderId: event.orderId,
        eventId: event.eventId,
        body: event.body,
        routed: event.routedAt !== null,
        deliveries: deliveries
          .filter((delivery) => delivery.eventRowId === event.id)
          .map((delivery) => ({
            channel: delivery.channel,
            status: delivery.status,
            attempts: delivery.attempts,
            lastStatusCode: delivery.lastStatusCode,
            claimed: delivery.claimToken !== null,
          })),
      }));
    }

    /** Each received webhook-id with its bodies, for comparing with the outbox. */
    const bodiesById = (to: NotificationReceiver) => {
      const bodies = new Map<string, string[]>();
      for (const { webhookId, body } of to.received) bodies.set(webhookId, [...(bodies.get(webhookId) ?? []), body]);
      return bodies;
    };

    itLogged(
      'should send every order.paid of an instance killed between its commits and any sending once, from the next instance',
      async () => {
        const to = await receiver(200);
        const showtime = await givenShowtime(t, { hall: { rows: 4, cols: 5 } });
        await subscribe(showtime, to);
        const customers = await users(20);
        const [a] = await instances(1, { NOTIFICATION_WORKER: 'off' });

        const orderIds = await Promise.all(
          customers.map((customer, i) => buy(a, customer, showtime.schedule.id, [seatOf(i, 5)])),
        );
        a.signal('SIGKILL');
        expect(await a.exited).toEqual({ code: null, signal: 'SIGKILL' });

        // Committed and recorded, not a byte sent: A never routed them and nobody else sends.
        const recorded = await paidEventsOf(orderIds);
        expect(recorded.map((event) => event.orderId).sort()).toEqual([...orderIds].sort());
        expect(recorded.filter((event) => event.routed || event.deliveries.length)).toEqual([]);
        expect(to.received).toEqual([]);

        const startedAt = Date.now();
        await instances(1);
        await to.until((received) => received.length >= orderIds.length, 30_000);
        const sentIn = Date.now() - startedAt;
        expect(await to.quietFor(QUIET_MS)).toBe(true);

        const events = await paidEventsOf(orderIds);
        // Each event once, with the very bytes the outbox holds.
        expect(Object.fromEntries(bodiesById(to))).toEqual(
          Object.fromEntries(events.map((event) => [event.eventId, [event.body]])),
        );
        expect(events.flatMap((event) => event.deliveries)).toEqual(
          events.map(() => ({
            channel: 'webhook',
            status: 'delivered',
            attempts: 1,
            lastStatusCode: 200,
            claimed: false,
          })),
        );
        console.log(
          `killed before sending: ${orderIds.length} events sent by the next instance ${sentIn} ms after its start began`,
        );
      },
      90_000,
    );

    itLogged(
      'should send an event again, with the same webhook-id, once the claim of an instance killed mid-attempt runs out',
      async () => {
        const to = await receiver('hang');
        const showtime = await givenShowtime(t, { hall: { rows: 2, cols: 2 } });
        await subscribe(showtime, to);
        const [customer] = await users(1);
        const [a] = await instances(1);

        const orderId = await buy(a, customer, showtime.schedule.id, [{ row: 1, col: 1 }]);
        await to.until((received) => received.length === 1, 10_000);
        a.signal('SIGKILL');
        expect(await a.exited).toEqual({ code: null, signal: 'SIGKILL' });
        const [first] = to.received;
        to.answerWith(200);

        // The attempt was claimed (counted) and never answered.
        const [cutOff] = await paidEventsOf([orderId]);
        expect(cutOff.deliveries).toEqual([
          { channel: 'webhook', status: 'pending', attempts: 1, lastStatusCode: null, claimed: true },
        ]);
        const claim = await t.db
          .getRepository(Delivery)
          .findOneByOrFail({ claimToken: Not(IsNull()), status: 'pending' });
        const claimEnd = claim.nextAttemptAt!.getTime();

        await instances(1);
        await to.until((received) => received.length >= 2, CLAIM_LEASE_MS + 30_000);
        expect(await to.quietFor(QUIET_MS)).toBe(true);
        const [, again] = to.received;
        expect({ webhookId: again.webhookId, body: again.body, answered: again.answered }).toEqual({
          webhookId: first.webhookId,
          body: first.body,
          answered: 200,
        });
        expect(first).toMatchObject({ webhookId: cutOff.eventId, body: cutOff.body, answered: 'hung' });
        // Not before the claim of the killed attempt ran out (the claim, not the first request's arrival,
        // is what the second attempt waits for: a loaded instance may send a while after claiming).
        expect(again.at).toBeGreaterThanOrEqual(claimEnd);
        expect(claimEnd - first.at).toBeLessThanOrEqual(CLAIM_LEASE_MS);
        const [done] = await paidEventsOf([orderId]);
        expect(done.deliveries).toEqual([
          { channel: 'webhook', status: 'delivered', attempts: 2, lastStatusCode: 200, claimed: false },
        ]);
        console.log(`killed mid-attempt: sent again ${again.at - first.at} ms after the cut-off attempt`);
      },
      90_000,
    );

    describe('three instances on one database', () => {
      let apps: AppProcess[] = [];

      beforeAll(async () => {
        apps = await instances(3);
      }, 120_000);

      itLogged(
        'should send each of 300 orders paid in a rush over the three instances once',
        async () => {
          const to = await receiver(200);
          const showtimes = await Promise.all([0, 1, 2].map(() => givenShowtime(t, { hall: { rows: 10, cols: 10 } })));
          for (const showtime of showtimes) await subscribe(showtime, to);
          // 100 customers, each through one instance, buying one seat of each showtime in turn.
          const customers = await users(100);
          const rushStart = Date.now();
          const orderIds = (
            await Promise.all(
              customers.map(async (customer, c) => {
                const ids: number[] = [];
                for (const showtime of showtimes) {
                  ids.push(await buy(apps[c % 3], customer, showtime.schedule.id, [seatOf(c, 10)]));
                }
                return ids;
              }),
            )
          ).flat();
          const paidIn = Date.now() - rushStart;
          await to.until((received) => received.length >= orderIds.length, 60_000);
          const lastArrivedAfter = Math.max(...to.received.map((r) => r.at)) - rushStart;
          expect(await to.quietFor(QUIET_MS)).toBe(true);

          const events = await paidEventsOf(orderIds);
          expect(events).toHaveLength(300);
          const counts = to.countsById();
          expect({
            requests: to.received.length,
            distinct: counts.size,
            repeated: [...counts].filter(([, n]) => n > 1),
          }).toEqual({
            requests: 300,
            distinct: 300,
            repeated: [],
          });
          expect(Object.fromEntries(bodiesById(to))).toEqual(
            Object.fromEntries(events.map((event) => [event.eventId, [event.body]])),
          );
          expect(events.flatMap((event) => event.deliveries)).toEqual(
            events.map(() => ({
              channel: 'webhook',
              status: 'delivered',
              attempts: 1,
              lastStatusCode: 200,
              claimed: false,
            })),
          );
          // The first attempt goes out within 5 s of the commit.
          const createdAt = new Map(
            (await t.db.getRepository(OutboxEvent).findBy({ eventId: In([...counts.keys()]) })).map((event) => [
              event.eventId,
              event.createdAt.getTime(),
            ]),
          );
          const lags = to.received.map((r) => r.at - (createdAt.get(r.webhookId) ?? 0)).sort((x, y) => x - y);
          expect(lags[lags.length - 1]).toBeLessThanOrEqual(5000);
          console.log(
            `rush: 300 orders paid in ${paidIn} ms, the last webhook ${lastArrivedAfter} ms after the rush began; ` +
              `commit to receipt median ${lags[150]} ms, max ${lags[lags.length - 1]} ms`,
          );
        },
        120_000,
      );

      itLogged(
        `should make each failed delivery's ${ATTEMPTS_IN_ALL} attempts once each across the three instances, then stop`,
        async () => {
          const to = await receiver(500);
          const showtime = await givenShowtime(t, { hall: { rows: 5, cols: 6 } });
          await subscribe(showtime, to);
          const customers = await users(30);
          const orderIds = await Promise.all(
            customers.map((customer, i) => buy(apps[i % 3], customer, showtime.schedule.id, [seatOf(i, 6)])),
          );
          const failedAll = async () =>
            (await paidEventsOf(orderIds)).every(
              (event) => event.deliveries.length > 0 && event.deliveries.every((d) => d.status === 'failed'),
            );
          const deadline = Date.now() + 60_000;
          while (!(await failedAll())) {
            if (Date.now() > deadline) throw new Error('the deliveries did not all fail within 60 s');
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
          expect(await to.quietFor(QUIET_MS)).toBe(true);

          const events = await paidEventsOf(orderIds);
          expect(events).toHaveLength(30);
          expect(Object.fromEntries(to.countsById())).toEqual(
            Object.fromEntries(events.map((event) => [event.eventId, ATTEMPTS_IN_ALL])),
          );
          expect(events.flatMap((event) => event.deliveries)).toEqual(
            events.map(() => ({
              channel: 'webhook',
              status: 'failed',
              attempts: ATTEMPTS_IN_ALL,
              lastStatusCode: 500,
              claimed: false,
            })),
          );
          // Each repeat only after the schedule's second (less a millisecond of datetime(3) rounding).
          const gaps = [...to.countsById().keys()].flatMap((id) => {
            const times = to.received.filter((r) => r.webhookId === id).map((r) => r.at);
            return times.slice(1).map((at, i) => at - times[i]);
          });
          expect(Math.min(...gaps)).toBeGreaterThanOrEqual(990);
          console.log(
            `retries: ${to.received.length} attempts for 30 events, gaps ${Math.min(...gaps)}-${Math.max(...gaps)} ms`,
          );
        },
        90_000,
      );
    });
  },
);
