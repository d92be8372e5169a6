import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo, Server } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { FindOptionsWhere } from 'typeorm';
import { Webhook } from 'standardwebhooks';
import { Delivery } from '../src/notifications/entities/delivery.entity';
import { WebhookEndpoint } from '../src/notifications/entities/webhook-endpoint.entity';
import { OutboxEvent } from '../src/outbox/entities/outbox-event.entity';
import { HoldSweepService } from '../src/ticketing/hold-sweep.service';
import { newPhone } from './support/accounts';
import { givenShowtime, givenUser, GivenShowtime, GivenUser } from './support/factories';
import { ownDatabase } from './support/own-database';
import { bootTestApp, TestApp, unique } from './support/test-app';
import { API, buyTickets, hold, lapse, sleep } from './support/ticketing';
import { pollUntil, ReceivedRequest, startWebhookReceiver, WebhookReceiver } from './support/webhook-receiver';

const ALL_EVENTS = ['order.paid', 'order.refunded', 'order.cancelled', 'order.expired', 'ticket.checked_in'];
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAIL_DOMAIN = 'ttms.local'; // MAIL_FROM's default: TTMS <no-reply@ttms.local>
/** "Nothing arrives" is proved by waiting this long after something later did arrive. */
const QUIET_MS = 2_000;

interface ReceivedMail {
  rcptTo: string[];
  raw: Buffer;
}

/** A real SMTP server keeping every message as raw bytes, for mailparser. */
async function startSmtp(): Promise<{ url: string; mails: ReceivedMail[]; close: () => Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          rcptTo: session.envelope.rcptTo.map((to) => to.address.toLowerCase()),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** RFC 5545 UTC form of an instant: 20260314T113000Z. */
const icsUtc = (instant: Date) =>
  instant
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

describe('Notifications: webhooks and ticket confirmations (CONTRACT 14)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let sms: WebhookReceiver;
  let database: Awaited<ReturnType<typeof ownDatabase>> | undefined;
  let admin: GivenUser;
  let customer: GivenUser;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    sms = await startWebhookReceiver();
    // On MariaDB a database of this file's own: the workers of other test files' apps (which may not
    // reach 127.0.0.1 and log SMS instead of sending them) would otherwise take these deliveries.
    if (process.env.TEST_DB_KIND === 'mysql') database = await ownDatabase();
    t = await bootTestApp({
      WEBHOOK_ALLOW_PRIVATE: 'on',
      WEBHOOK_RETRY_SCHEDULE: '1,1',
      NOTIFICATION_WORKER: 'on',
      SMTP_URL: smtp.url,
      SMS_DRIVER: 'webhook',
      SMS_WEBHOOK_URL: sms.url,
      ...(database ? { DATABASE_URL: database.url, DB_MIGRATIONS_RUN: 'true' } : {}),
    });
    admin = await givenUser(t, 'admin');
    customer = await givenUser(t);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await sms?.close();
    await smtp?.close();
    await database?.drop();
  }, 60_000);

  async function receiver(): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver();
    receivers.push(started);
    return started;
  }

  const createEndpoint = (who: GivenUser, body: Record<string, unknown>) =>
    t.http.post(`${API}/webhooks`).set(who.auth).send(body);

  /** An endpoint of the showtime's cinema, created by its owner: the API's answer, secret included. */
  async function givenEndpoint(
    show: GivenShowtime,
    url: string,
    events: string[] = ALL_EVENTS,
  ): Promise<{ id: number; secret: string; [key: string]: unknown }> {
    const res = await createEndpoint(show.merchant, { cinemaId: show.cinema.id, url, events });
    if (res.status !== 201) throw new Error(`endpoint not created: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  const deliveryRows = (where: FindOptionsWhere<Delivery>) =>
    t.db.getRepository(Delivery).find({ where, order: { id: 'ASC' } });
  const eventsOfOrder = (orderId: number) =>
    t.db.getRepository(OutboxEvent).find({ where: { orderId }, order: { id: 'ASC' } });
  const endpointCount = () => t.db.getRepository(WebhookEndpoint).count();
  const deliveryLog = (who: GivenUser, endpointId: number, query = '') =>
    t.http.get(`${API}/webhooks/${endpointId}/deliveries${query}`).set(who.auth);

  /** The endpoint's only delivery, once `done` holds for it (polled through the database). */
  const deliveryOnceSettled = (endpointId: number, done: (row: Delivery) => boolean, timeoutMs = 8_000) =>
    pollUntil(
      async () => {
        const rows = await deliveryRows({ endpointId });
        return rows.length === 1 && done(rows[0]) ? rows[0] : undefined;
      },
      { timeoutMs, what: `the delivery of endpoint ${endpointId} to settle` },
    );

  const ofType = (type: string) => (request: ReceivedRequest) =>
    (JSON.parse(request.rawBody) as { type: string }).type === type;
  const bodyOf = (request: ReceivedRequest) =>
    JSON.parse(request.rawBody) as { type: string; timestamp: string; data: Record<string, unknown> };

  afterEach(() => {
    for (const started of receivers) started.mode = 'ok';
  });

  describe('endpoints API', () => {
    it('should create an endpoint with its secret shown once, and list it without the secret, unpaged', async () => {
      const show = await givenShowtime(t);
      const res = await createEndpoint(show.merchant, {
        cinemaId: show.cinema.id,
        url: 'https://pos.example.com/ttms',
        events: ['order.paid', 'order.refunded'],
        description: '  box office POS  ',
      }).expect(201);
      expect(res.body).toEqual({
        code: 1000,
        msg: expect.any(String),
        data: {
          id: expect.any(Number),
          cinemaId: show.cinema.id,
          url: 'https://pos.example.com/ttms',
          events: ['order.paid', 'order.refunded'],
          description: 'box office POS',
          active: true,
          createdAt: expect.any(String),
          secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+={0,2}$/),
        },
      });
      const row = await t.db.getRepository(WebhookEndpoint).findOneByOrFail({ id: res.body.data.id });
      expect(row).toMatchObject({ cinemaId: show.cinema.id, secret: res.body.data.secret, active: true });

      const list = await t.http.get(`${API}/webhooks?cinemaId=${show.cinema.id}`).set(show.merchant.auth).expect(200);
      const shown = { ...res.body.data };
      delete shown.secret;
      expect(list.body.data).toEqual([shown]);
      expect(list.body).not.toHaveProperty('total');
      expect(JSON.stringify(list.body)).not.toContain(res.body.data.secret);

      const own = await t.http.get(`${API}/webhooks`).set(show.merchant.auth).expect(200);
      expect(own.body.data).toEqual([shown]);
      const byAdmin = await t.http.get(`${API}/webhooks?cinemaId=${show.cinema.id}`).set(admin.auth).expect(200);
      expect(byAdmin.body.data).toEqual([shown]);
    });

    it('should let an admin create an endpoint for any cinema', async () => {
      const show = await givenShowtime(t);
      const res = await createEndpoint(admin, {
        cinemaId: show.cinema.id,
        url: 'http://pos.example.com/',
        events: ['order.paid'],
      }).expect(201);
      expect(res.body.data).toMatchObject({ cinemaId: show.cinema.id, description: null, active: true });
    });

    it('should change the URL, events, description and active flag with PATCH', async () => {
      const show = await givenShowtime(t);
      const created = await givenEndpoint(show, 'https://a.example.com/hook', ['order.paid']);
      const res = await t.http
        .patch(`${API}/webhooks/${created.id}`)
        .set(show.merchant.auth)
        .send({ url: 'https://b.example.com/hook', events: ['order.refunded'], description: 'CRM', active: false })
        .expect(200);
      expect(res.body.data).toEqual({
        id: created.id,
        cinemaId: show.cinema.id,
        url: 'https://b.example.com/hook',
        events: ['order.refunded'],
        description: 'CRM',
        active: false,
        createdAt: created.createdAt,
      });
      expect(res.body.data).not.toHaveProperty('secret');
      const row = await t.db.getRepository(WebhookEndpoint).findOneByOrFail({ id: created.id });
      expect(row).toMatchObject({ url: 'https://b.example.com/hook', events: ['order.refunded'], active: false });
      expect(row.secret).toBe(created.secret);

      const cleared = await t.http
        .patch(`${API}/webhooks/${created.id}`)
        .set(show.merchant.auth)
        .send({ description: null, active: true })
        .expect(200);
      expect(cleared.body.data).toMatchObject({ description: null, active: true, url: 'https://b.example.com/hook' });
    });

    it('should delete an endpoint with its deliveries', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      const created = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 1, col: 1 }]);
      await deliveryOnceSettled(created.id, (row) => row.status === 'delivered');

      const res = await t.http.delete(`${API}/webhooks/${created.id}`).set(show.merchant.auth).expect(200);
      expect(res.body).toEqual({ code: 1000, msg: expect.any(String), data: null });
      expect(await t.db.getRepository(WebhookEndpoint).countBy({ id: created.id })).toBe(0);
      expect(await deliveryRows({ endpointId: created.id })).toEqual([]);
      const again = await t.http.delete(`${API}/webhooks/${created.id}`).set(show.merchant.auth).expect(404);
      expect(again.body).toMatchObject({ code: 1014, data: null });
      await deliveryLog(show.merchant, created.id).expect(404);

      // A deleted endpoint gets nothing new.
      const later = await buyTickets(t.http, customer, show.schedule.id, [{ row: 1, col: 2 }]);
      await pollUntil(async () => (await eventsOfOrder(later.id))[0]?.routedAt, { what: 'the event to be routed' });
      await sleep(QUIET_MS);
      expect(hook.requests).toHaveLength(1);
      expect(await deliveryRows({ endpointId: created.id })).toEqual([]);
    });

    it.each([
      ['a URL that is not one', { url: 'not a url' }],
      ['an ftp URL', { url: 'ftp://pos.example.com/hook' }],
      ['an unknown event', { events: ['order.paid', 'order.shipped'] }],
      ['no events', { events: [] }],
      ['an event twice', { events: ['order.paid', 'order.paid'] }],
      ['events that are not a list', { events: 'order.paid' }],
      ['no URL', { url: undefined }],
      ['a cinema id that is not a number', { cinemaId: 'one' }],
    ])('should answer 1002 to %s and create nothing', async (_, change) => {
      const show = await givenShowtime(t);
      const before = await endpointCount();
      const body = { cinemaId: show.cinema.id, url: 'https://pos.example.com/hook', events: ['order.paid'], ...change };
      const res = await createEndpoint(show.merchant, body).expect(400);
      expect(res.body).toMatchObject({ code: 1002 });
      expect(await endpointCount()).toBe(before);
    });

    it('should answer 1002 to a PATCH with a bad URL or events, and change nothing', async () => {
      const show = await givenShowtime(t);
      const created = await givenEndpoint(show, 'https://pos.example.com/hook', ['order.paid']);
      for (const body of [{ url: 'ftp://x.example.com/' }, { events: [] }, { events: ['nope'] }, { active: 'yes' }]) {
        const res = await t.http.patch(`${API}/webhooks/${created.id}`).set(show.merchant.auth).send(body).expect(400);
        expect(res.body.code).toBe(1002);
      }
      const row = await t.db.getRepository(WebhookEndpoint).findOneByOrFail({ id: created.id });
      expect(row).toMatchObject({ url: 'https://pos.example.com/hook', events: ['order.paid'], active: true });
    });

    it('should answer 1013 to another merchant on every route, and leave the endpoint as it was', async () => {
      const show = await givenShowtime(t);
      const stranger = await givenUser(t, 'merchant');
      const hook = await receiver();
      const created = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 1, col: 2 }]);
      const delivery = await deliveryOnceSettled(created.id, (row) => row.status === 'delivered');
      const before = await endpointCount();

      const attempts = [
        createEndpoint(stranger, { cinemaId: show.cinema.id, url: hook.url, events: ['order.paid'] }),
        t.http.patch(`${API}/webhooks/${created.id}`).set(stranger.auth).send({ active: false }),
        t.http.delete(`${API}/webhooks/${created.id}`).set(stranger.auth),
        deliveryLog(stranger, created.id),
        t.http.post(`${API}/webhooks/${created.id}/deliveries/${delivery.id}/retry`).set(stranger.auth),
        t.http.get(`${API}/webhooks?cinemaId=${show.cinema.id}`).set(stranger.auth),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: 1013, data: null });
      }
      expect(await endpointCount()).toBe(before);
      const row = await t.db.getRepository(WebhookEndpoint).findOneByOrFail({ id: created.id });
      expect(row.active).toBe(true);
      expect(await deliveryRows({ endpointId: created.id })).toMatchObject([{ id: delivery.id, attempts: 1 }]);
      expect(hook.requests).toHaveLength(1);
      const own = await t.http.get(`${API}/webhooks`).set(stranger.auth).expect(200);
      expect(own.body.data).toEqual([]);
    });

    it('should answer 1013 to a customer', async () => {
      const show = await givenShowtime(t);
      const created = await givenEndpoint(show, 'https://pos.example.com/hook', ['order.paid']);
      const before = await endpointCount();
      const answers = await Promise.all([
        createEndpoint(customer, { cinemaId: show.cinema.id, url: 'https://x.example.com/', events: ['order.paid'] }),
        t.http.get(`${API}/webhooks`).set(customer.auth),
        t.http.patch(`${API}/webhooks/${created.id}`).set(customer.auth).send({ active: false }),
        t.http.delete(`${API}/webhooks/${created.id}`).set(customer.auth),
        deliveryLog(customer, created.id),
      ]);
      for (const res of answers) expect([res.status, res.body.code]).toEqual([403, 1013]);
      expect(await endpointCount()).toBe(before);
      expect((await t.db.getRepository(WebhookEndpoint).findOneByOrFail({ id: created.id })).active).toBe(true);
    });

    it('should answer 1014 to an unknown endpoint, cinema or delivery', async () => {
      const show = await givenShowtime(t);
      const created = await givenEndpoint(show, 'https://pos.example.com/hook', ['order.paid']);
      const before = await endpointCount();
      const missing = 2_000_000_000;
      const answers = await Promise.all([
        createEndpoint(admin, { cinemaId: missing, url: 'https://x.example.com/', events: ['order.paid'] }),
        t.http.patch(`${API}/webhooks/${missing}`).set(admin.auth).send({ active: false }),
        t.http.delete(`${API}/webhooks/${missing}`).set(admin.auth),
        deliveryLog(admin, missing),
        t.http.post(`${API}/webhooks/${missing}/deliveries/1/retry`).set(admin.auth),
        t.http.post(`${API}/webhooks/${created.id}/deliveries/${missing}/retry`).set(show.merchant.auth),
        t.http.get(`${API}/webhooks?cinemaId=${missing}`).set(admin.auth),
      ]);
      for (const res of answers) expect([res.status, res.body.code]).toEqual([404, 1014]);
      expect(await endpointCount()).toBe(before);
    });

    it("should answer 1014 to a retry of another endpoint's delivery, and send nothing", async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      const sender = await givenEndpoint(show, hook.url, ['order.paid']);
      const bystander = await givenEndpoint(show, 'https://pos.example.com/other', ['order.refunded']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 1, col: 8 }]);
      const delivery = await deliveryOnceSettled(sender.id, (row) => row.status === 'delivered');
      const res = await t.http
        .post(`${API}/webhooks/${bystander.id}/deliveries/${delivery.id}/retry`)
        .set(show.merchant.auth)
        .expect(404);
      expect(res.body).toMatchObject({ code: 1014, data: null });
      expect(hook.requests).toHaveLength(1);
      expect(await deliveryRows({ endpointId: sender.id })).toMatchObject([{ id: delivery.id, attempts: 1 }]);
    });
  });

  describe('events', () => {
    it('should POST order.paid within 5 s, signed as Standard Webhooks, with the order and its ticket code', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      const endpoint = await givenEndpoint(show, hook.url);
      const paidAt = Date.now();
      const order = await buyTickets(t.http, customer, show.schedule.id, [{ row: 2, col: 3 }]);
      const [request] = await hook.waitFor(ofType('order.paid'), 1, 5_000);
      expect(request.receivedAt.getTime() - paidAt).toBeLessThan(5_000);

      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      const [event] = await eventsOfOrder(order.id);
      expect(event).toMatchObject({ type: 'order.paid', cinemaId: show.cinema.id, orderId: order.id });
      expect(event.eventId).toMatch(/^evt_[0-9a-f]{24}$/);
      expect(request.headers['webhook-id']).toBe(event.eventId);
      const timestamp = Number(request.headers['webhook-timestamp']);
      expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(30);
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
      const headers = request.headers as Record<string, string>;
      expect(() => new Webhook(endpoint.secret).verify(request.rawBody, headers)).not.toThrow();
      const otherSecret = `whsec_${Buffer.from('some-other-secret-0123456789').toString('base64')}`;
      expect(() => new Webhook(otherSecret).verify(request.rawBody, headers)).toThrow();
      expect(request.rawBody).toBe(event.body);

      const body = bodyOf(request);
      expect(Object.keys(body).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(body.type).toBe('order.paid');
      expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
      expect(body.data).toMatchObject({ id: order.id, status: 'paid', ticketCode: order.ticketCode });
      expect(body.data.ticketCode).toEqual(expect.any(String));
      expect(body.data).toMatchObject({ scheduleId: show.schedule.id, movieTitle: show.movie.title });

      const delivery = await deliveryOnceSettled(endpoint.id, (row) => row.status === 'delivered');
      expect(delivery).toMatchObject({ channel: 'webhook', attempts: 1, lastStatusCode: 200, lastError: null });
      expect(delivery.deliveredAt).toBeInstanceOf(Date);
      expect(delivery.eventRowId).toBe(event.id);
    });

    it('should send order.refunded with the ticket code, order.cancelled, order.expired and ticket.checked_in, each once', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      const endpoint = await givenEndpoint(show, hook.url);

      const refunded = await buyTickets(t.http, customer, show.schedule.id, [{ row: 1, col: 1 }]);
      await t.http.post(`${API}/orders/${refunded.id}/refund`).set(customer.auth).expect(200);
      const [refund] = await hook.waitFor(ofType('order.refunded'));
      expect(bodyOf(refund).data).toMatchObject({
        id: refunded.id,
        status: 'refunded',
        ticketCode: refunded.ticketCode,
      });

      const cancelled = (await hold(t.http, customer, show.schedule.id, [{ row: 1, col: 2 }]).expect(201)).body.data;
      await t.http.post(`${API}/orders/${cancelled.id}/cancel`).set(customer.auth).expect(200);
      const [cancel] = await hook.waitFor(ofType('order.cancelled'));
      expect(bodyOf(cancel).data).toMatchObject({ id: cancelled.id, status: 'cancelled' });

      const lapsed = (await hold(t.http, customer, show.schedule.id, [{ row: 1, col: 3 }]).expect(201)).body.data;
      await lapse(t.db, lapsed.id);
      await t.app.get(HoldSweepService).sweep();
      const [expiry] = await hook.waitFor(ofType('order.expired'));
      expect(bodyOf(expiry).data).toMatchObject({ id: lapsed.id, status: 'expired' });

      const entered = await buyTickets(t.http, customer, show.schedule.id, [{ row: 1, col: 4 }]);
      const checkIn = await t.http
        .post(`${API}/tickets/check-in`)
        .set(show.merchant.auth)
        .send({ ticketCode: entered.ticketCode })
        .expect(200);
      const [checkedIn] = await hook.waitFor(ofType('ticket.checked_in'));
      expect(bodyOf(checkedIn).data).toMatchObject({
        id: entered.id,
        status: 'paid',
        checkedInAt: checkIn.body.data.checkedInAt,
        ticketCode: entered.ticketCode,
      });

      for (const request of hook.requests) {
        expect(() =>
          new Webhook(endpoint.secret).verify(request.rawBody, request.headers as Record<string, string>),
        ).not.toThrow();
      }
      // Every attempt answered 200: each event arrived once, and each delivery reads delivered after one attempt.
      await sleep(QUIET_MS);
      const ids = hook.requests.map((request) => request.headers['webhook-id']);
      expect(ids).toHaveLength(6); // paid twice, refunded, cancelled, expired, checked in
      expect(new Set(ids).size).toBe(6);
      expect(hook.requests.map((request) => bodyOf(request).type).sort()).toEqual(
        ['order.cancelled', 'order.expired', 'order.paid', 'order.paid', 'order.refunded', 'ticket.checked_in'].sort(),
      );
      const rows = await deliveryRows({ endpointId: endpoint.id });
      expect(rows.map((row) => [row.status, row.attempts])).toEqual(Array(6).fill(['delivered', 1]));
      const events = await t.db.getRepository(OutboxEvent).find({ where: { cinemaId: show.cinema.id } });
      expect(events.map((event) => event.eventId).sort()).toEqual([...ids].sort());
    });

    it('should send an endpoint only the events it takes, and nothing to another cinema', async () => {
      const show = await givenShowtime(t);
      const other = await givenShowtime(t);
      const all = await receiver();
      const paidOnly = await receiver();
      const elsewhere = await receiver();
      const allEndpoint = await givenEndpoint(show, all.url);
      const paidEndpoint = await givenEndpoint(show, paidOnly.url, ['order.paid']);
      const otherEndpoint = await givenEndpoint(other, elsewhere.url);

      const order = await buyTickets(t.http, customer, show.schedule.id, [{ row: 3, col: 3 }]);
      await t.http.post(`${API}/orders/${order.id}/refund`).set(customer.auth).expect(200);
      await all.waitFor(ofType('order.refunded'));
      await paidOnly.waitFor(ofType('order.paid'));
      await sleep(QUIET_MS);

      expect(paidOnly.requests.map((request) => bodyOf(request).type)).toEqual(['order.paid']);
      expect(all.requests.map((request) => bodyOf(request).type)).toEqual(['order.paid', 'order.refunded']);
      expect(elsewhere.requests).toEqual([]);
      expect(await deliveryRows({ endpointId: paidEndpoint.id })).toHaveLength(1);
      expect(await deliveryRows({ endpointId: allEndpoint.id })).toHaveLength(2);
      expect(await deliveryRows({ endpointId: otherEndpoint.id })).toEqual([]);
    });

    it('should send nothing to an inactive endpoint, nor later what happened while it was off', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      const endpoint = await givenEndpoint(show, hook.url);
      await t.http.patch(`${API}/webhooks/${endpoint.id}`).set(show.merchant.auth).send({ active: false }).expect(200);

      const whileOff = await buyTickets(t.http, customer, show.schedule.id, [{ row: 4, col: 1 }]);
      // The event is routed (to nobody) before the endpoint is switched on again.
      await pollUntil(async () => (await eventsOfOrder(whileOff.id))[0]?.routedAt, { what: 'the event to be routed' });
      expect(await deliveryRows({ endpointId: endpoint.id })).toEqual([]);

      await t.http.patch(`${API}/webhooks/${endpoint.id}`).set(show.merchant.auth).send({ active: true }).expect(200);
      const afterwards = await buyTickets(t.http, customer, show.schedule.id, [{ row: 4, col: 2 }]);
      await hook.waitFor(ofType('order.paid'));
      await sleep(QUIET_MS);
      expect(hook.requests.map((request) => bodyOf(request).data.id)).toEqual([afterwards.id]);
      expect(await deliveryRows({ endpointId: endpoint.id })).toHaveLength(1);
    });

    it('should send an endpoint nothing that happened before it was created', async () => {
      const show = await givenShowtime(t);
      const before = await buyTickets(t.http, customer, show.schedule.id, [{ row: 5, col: 1 }]);
      await pollUntil(async () => (await eventsOfOrder(before.id))[0]?.routedAt, { what: 'the event to be routed' });
      const hook = await receiver();
      const endpoint = await givenEndpoint(show, hook.url);
      const after = await buyTickets(t.http, customer, show.schedule.id, [{ row: 5, col: 2 }]);
      await hook.waitFor(ofType('order.paid'));
      await sleep(QUIET_MS);
      expect(hook.requests.map((request) => bodyOf(request).data.id)).toEqual([after.id]);
      expect(await deliveryRows({ endpointId: endpoint.id })).toHaveLength(1);
    });
  });

  describe('failed attempts and retries', () => {
    it('should try a receiver answering 500 three times with the same webhook-id, then read failed', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      hook.mode = 'error';
      const endpoint = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 2, col: 1 }]);

      const failed = await deliveryOnceSettled(endpoint.id, (row) => row.status === 'failed', 15_000);
      expect(failed).toMatchObject({ attempts: 3, lastStatusCode: 500, nextAttemptAt: null, deliveredAt: null });
      expect(failed.lastError).toMatch(/500/);
      await sleep(QUIET_MS);
      expect(hook.requests).toHaveLength(3);
      expect(new Set(hook.requests.map((request) => request.headers['webhook-id'])).size).toBe(1);
      // The schedule '1,1': at least a second between attempts.
      const times = hook.requests.map((request) => request.receivedAt.getTime());
      expect(times[1] - times[0]).toBeGreaterThanOrEqual(900);
      expect(times[2] - times[1]).toBeGreaterThanOrEqual(900);

      const log = await deliveryLog(show.merchant, endpoint.id).expect(200);
      expect(log.body.data).toEqual([
        {
          id: failed.id,
          eventId: hook.requests[0].headers['webhook-id'],
          event: 'order.paid',
          status: 'failed',
          attempts: 3,
          lastStatusCode: 500,
          lastError: failed.lastError,
          nextAttemptAt: null,
          deliveredAt: null,
          createdAt: failed.createdAt.toISOString(),
        },
      ]);
    }, 30_000);

    it('should send a failed delivery again on retry, with the same webhook-id, and answer it delivered', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      hook.mode = 'error';
      const endpoint = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 2, col: 2 }]);
      const failed = await deliveryOnceSettled(endpoint.id, (row) => row.status === 'failed', 15_000);
      const webhookId = hook.requests[0].headers['webhook-id'];

      hook.mode = 'ok';
      const res = await t.http
        .post(`${API}/webhooks/${endpoint.id}/deliveries/${failed.id}/retry`)
        .set(show.merchant.auth)
        .expect(200);
      expect(res.body.data).toMatchObject({
        id: failed.id,
        eventId: webhookId,
        status: 'delivered',
        attempts: 4,
        lastStatusCode: 200,
        lastError: null,
        deliveredAt: expect.any(String),
      });
      expect(hook.requests).toHaveLength(4);
      expect(hook.requests[3].headers['webhook-id']).toBe(webhookId);
      expect(hook.requests[3].rawBody).toBe(hook.requests[0].rawBody);
      expect(() =>
        new Webhook(endpoint.secret).verify(
          hook.requests[3].rawBody,
          hook.requests[3].headers as Record<string, string>,
        ),
      ).not.toThrow();
      const [row] = await deliveryRows({ endpointId: endpoint.id });
      expect(row).toMatchObject({ status: 'delivered', attempts: 4, lastStatusCode: 200, claimToken: null });
      await sleep(QUIET_MS);
      expect(hook.requests).toHaveLength(4);
    }, 30_000);

    it('should stop retrying once the endpoint is switched off, and not resume when it is switched on', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      hook.mode = 'error';
      const endpoint = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 2, col: 7 }]);
      await hook.waitFor(() => true, 1, 5_000);
      await t.http.patch(`${API}/webhooks/${endpoint.id}`).set(show.merchant.auth).send({ active: false }).expect(200);
      // An attempt claimed just before the switch may still be on its way; nothing after it.
      const sentBySwitch = hook.requests.length;
      const failed = await deliveryOnceSettled(endpoint.id, (row) => row.status === 'failed', 10_000);
      expect(failed.nextAttemptAt).toBeNull();
      await t.http.patch(`${API}/webhooks/${endpoint.id}`).set(show.merchant.auth).send({ active: true }).expect(200);
      hook.mode = 'ok';
      await sleep(QUIET_MS);
      expect(hook.requests.length).toBeLessThanOrEqual(sentBySwitch + 1);
      expect(hook.requests.length).toBeLessThan(3);
      expect(await deliveryRows({ endpointId: endpoint.id })).toMatchObject([{ id: failed.id, status: 'failed' }]);
    }, 30_000);

    it('should keep a delivery failed when its endpoint was switched off during an attempt and on again', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      hook.mode = 'hang';
      const endpoint = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 2, col: 8 }]);
      await hook.waitFor(() => true, 1, 5_000);
      const patch = (active: boolean) =>
        t.http.patch(`${API}/webhooks/${endpoint.id}`).set(show.merchant.auth).send({ active }).expect(200);
      await patch(false);
      expect(await deliveryRows({ endpointId: endpoint.id })).toMatchObject([{ status: 'failed' }]);
      await patch(true);
      hook.mode = 'ok';
      // The hung attempt times out 10 s after it began and the app drops the connection; the next gap is 1 s.
      const closedAt = await pollUntil(() => hook.requests[0].closedAt, {
        timeoutMs: 15_000,
        what: 'the hung attempt to end',
      });
      expect(closedAt.getTime() - hook.requests[0].receivedAt.getTime()).toBeGreaterThanOrEqual(9_000);
      await sleep(QUIET_MS);
      const [row] = await deliveryRows({ endpointId: endpoint.id });
      expect({ requests: hook.requests.length, status: row.status }).toEqual({ requests: 1, status: 'failed' });
    }, 40_000);

    it('should answer 1001 to a retry while the endpoint is switched off, and send nothing', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      const endpoint = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 2, col: 5 }]);
      const delivered = await deliveryOnceSettled(endpoint.id, (row) => row.status === 'delivered');
      await t.http.patch(`${API}/webhooks/${endpoint.id}`).set(show.merchant.auth).send({ active: false }).expect(200);
      const res = await t.http
        .post(`${API}/webhooks/${endpoint.id}/deliveries/${delivered.id}/retry`)
        .set(show.merchant.auth)
        .expect(400);
      expect(res.body).toMatchObject({ code: 1001, data: null });
      expect(hook.requests).toHaveLength(1);
      expect((await deliveryRows({ endpointId: endpoint.id }))[0].attempts).toBe(1);
    });

    it('should fail an attempt the receiver never answers after 10 s, and serve other requests meanwhile', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      hook.mode = 'hang';
      const endpoint = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 3, col: 1 }]);
      const [hung] = await hook.waitFor(() => true, 1, 5_000);

      // While the attempt hangs, the API answers at once.
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        await t.http.get(`${API}/webhooks?cinemaId=${show.cinema.id}`).set(show.merchant.auth).expect(200);
        await deliveryLog(show.merchant, endpoint.id).expect(200);
        expect(Date.now() - started).toBeLessThan(1_000);
        await sleep(500);
      }
      const during = await deliveryRows({ endpointId: endpoint.id });
      expect(during).toMatchObject([{ status: 'pending', attempts: 1, lastError: null }]);
      // A manual retry meanwhile would make a second attempt at once: refused while this one is under way.
      const inFlight = await t.http
        .post(`${API}/webhooks/${endpoint.id}/deliveries/${during[0].id}/retry`)
        .set(show.merchant.auth)
        .expect(409);
      expect(inFlight.body).toMatchObject({ code: 2014, data: null });
      expect(hook.requests).toHaveLength(1);

      hook.mode = 'ok';
      const timedOut = await pollUntil(
        async () => {
          const [row] = await deliveryRows({ endpointId: endpoint.id });
          return row.lastError ? row : undefined;
        },
        { timeoutMs: 15_000, what: 'the hung attempt to time out' },
      );
      expect(Date.now() - hung.receivedAt.getTime()).toBeGreaterThanOrEqual(9_000);
      expect(timedOut.lastError).toMatch(/timed out/);
      expect(timedOut.lastStatusCode).toBeNull();
      // The schedule's next attempt reaches the receiver, now answering 200.
      const delivered = await deliveryOnceSettled(endpoint.id, (row) => row.status === 'delivered', 8_000);
      expect(delivered).toMatchObject({ attempts: 2, lastStatusCode: 200 });
      expect(hook.requests.map((request) => request.headers['webhook-id'])).toEqual([
        hung.headers['webhook-id'],
        hung.headers['webhook-id'],
      ]);
    }, 40_000);

    it('should not follow a redirect: a failed attempt, and nothing reaches its target', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      const target = await receiver();
      hook.mode = 'redirect';
      hook.redirectTo = target.url;
      const endpoint = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 3, col: 2 }]);

      const failed = await deliveryOnceSettled(endpoint.id, (row) => row.status === 'failed', 15_000);
      expect(failed).toMatchObject({ attempts: 3, lastStatusCode: 302 });
      expect(failed.lastError).toMatch(/redirect/i);
      expect(hook.requests).toHaveLength(3);
      expect(target.requests).toEqual([]);
    }, 30_000);

    it('should fail attempts answered with garbage, and never answer 5xx about them', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      hook.mode = 'garbage';
      const endpoint = await givenEndpoint(show, hook.url, ['order.paid']);
      await buyTickets(t.http, customer, show.schedule.id, [{ row: 3, col: 3 }]);

      const failed = await deliveryOnceSettled(endpoint.id, (row) => row.status === 'failed', 15_000);
      expect(failed).toMatchObject({ attempts: 3, lastStatusCode: null, deliveredAt: null });
      expect(failed.lastError).toEqual(expect.any(String));
      expect(hook.requests).toHaveLength(3);

      const log = await deliveryLog(show.merchant, endpoint.id).expect(200);
      expect(log.body.data[0]).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: null });
      const retried = await t.http
        .post(`${API}/webhooks/${endpoint.id}/deliveries/${failed.id}/retry`)
        .set(show.merchant.auth)
        .expect(200);
      expect(retried.body.data).toMatchObject({ status: 'failed', attempts: 4, lastStatusCode: null });
      expect(hook.requests).toHaveLength(4);
    }, 30_000);
  });

  describe('delivery log', () => {
    it('should list deliveries newest first with total, filter by status and page', async () => {
      const show = await givenShowtime(t);
      const hook = await receiver();
      const endpoint = await givenEndpoint(show, hook.url, ['order.paid', 'order.refunded']);
      const first = await buyTickets(t.http, customer, show.schedule.id, [{ row: 5, col: 5 }]);
      await hook.waitFor(ofType('order.paid'));
      const second = await buyTickets(t.http, customer, show.schedule.id, [{ row: 5, col: 6 }]);
      await hook.waitFor(ofType('order.paid'), 2);
      hook.mode = 'error';
      await t.http.post(`${API}/orders/${second.id}/refund`).set(customer.auth).expect(200);
      await pollUntil(async () => (await deliveryRows({ endpointId: endpoint.id, status: 'failed' }))[0], {
        timeoutMs: 15_000,
        what: 'the refund delivery to fail',
      });

      const all = await deliveryLog(show.merchant, endpoint.id).expect(200);
      expect(all.body.total).toBe(3);
      expect(all.body.data.map((d: { event: string; status: string }) => [d.event, d.status])).toEqual([
        ['order.refunded', 'failed'],
        ['order.paid', 'delivered'],
        ['order.paid', 'delivered'],
      ]);
      const ids = all.body.data.map((d: { id: number }) => d.id);
      expect([...ids].sort((a: number, b: number) => b - a)).toEqual(ids);
      const [paidFirst] = await eventsOfOrder(first.id);
      const [paidSecond] = await eventsOfOrder(second.id);
      expect(all.body.data[1].eventId).toBe(paidSecond.eventId);
      expect(all.body.data[2].eventId).toBe(paidFirst.eventId);
      expect(all.body.data[1]).toEqual({
        id: expect.any(Number),
        eventId: paidSecond.eventId,
        event: 'order.paid',
        status: 'delivered',
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        nextAttemptAt: null,
        deliveredAt: expect.any(String),
        createdAt: expect.any(String),
      });

      const delivered = await deliveryLog(show.merchant, endpoint.id, '?status=delivered').expect(200);
      expect(delivered.body.total).toBe(2);
      expect(delivered.body.data.map((d: { id: number }) => d.id)).toEqual(ids.slice(1));
      const failed = await deliveryLog(admin, endpoint.id, '?status=failed').expect(200);
      expect([failed.body.total, failed.body.data.length, failed.body.data[0].id]).toEqual([1, 1, ids[0]]);
      const pending = await deliveryLog(show.merchant, endpoint.id, '?status=pending').expect(200);
      expect([pending.body.total, pending.body.data]).toEqual([0, []]);
      const paged = await deliveryLog(show.merchant, endpoint.id, '?page=2&pageSize=2').expect(200);
      expect([paged.body.total, paged.body.data.map((d: { id: number }) => d.id)]).toEqual([3, [ids[2]]]);

      for (const query of ['?status=done', '?status=', '?pageSize=101', '?page=0']) {
        const bad = await deliveryLog(show.merchant, endpoint.id, query);
        expect([query, bad.status, bad.body.code]).toEqual([query, 400, 1002]);
      }
    }, 30_000);
  });

  describe('customer messages', () => {
    const mailsTo = (email: string) => smtp.mails.filter((mail) => mail.rcptTo.includes(email));
    const smsTo = (phone: string) =>
      sms.requests
        .map((request) => JSON.parse(request.rawBody) as Record<string, string>)
        .filter((m) => m.phone === phone);

    async function givenContactableCustomer(): Promise<{ buyer: GivenUser; email: string; phone: string }> {
      const email = `${unique('buyer')}@example.com`;
      const phone = newPhone();
      return { buyer: await givenUser(t, 'customer', { email, phone }), email, phone };
    }

    it('should email the ticket with its QR code and calendar entry, and text its code, once', async () => {
      const show = await givenShowtime(t);
      const { buyer, email, phone } = await givenContactableCustomer();
      const order = await buyTickets(t.http, buyer, show.schedule.id, [{ row: 2, col: 4 }]);
      const [event] = await eventsOfOrder(order.id);

      const [mail] = await pollUntil(() => (mailsTo(email).length ? mailsTo(email) : undefined), {
        what: `the ticket email to ${email}`,
      });
      const parsed: ParsedMail = await simpleParser(mail.raw);
      expect(parsed.subject).toContain(show.movie.title);
      expect(parsed.subject).toMatch(/^Your ticket/);
      expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : []).toEqual([email]);
      expect(parsed.messageId).toBe(`<ticket.${event.eventId}@${MAIL_DOMAIN}>`);
      expect(parsed.text).toContain(order.ticketCode);
      for (const fact of [show.movie.title, show.cinema.name, show.hall.name, 'row 2 seat 4']) {
        expect(parsed.text).toContain(fact);
      }

      const png = parsed.attachments.find((a) => a.contentType === 'image/png');
      expect(png?.filename).toBe(`ticket-${order.ticketCode}.png`);
      expect(png?.content.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
      const ics = parsed.attachments.find((a) => a.filename?.endsWith('.ics'));
      expect(ics?.contentType).toBe('text/calendar');
      const calendar = ics!.content.toString('utf8');
      expect(calendar).toContain('BEGIN:VEVENT');
      expect(calendar).toContain(`DTSTART:${icsUtc(show.schedule.startsAt)}`);

      const [text] = await pollUntil(() => (smsTo(phone).length ? smsTo(phone) : undefined), {
        what: `the ticket SMS to ${phone}`,
      });
      expect(text).toEqual({ phone, purpose: 'ticket', text: expect.any(String), ticketCode: order.ticketCode });
      expect(text.text).toContain(order.ticketCode);

      const rows = await pollUntil(
        async () => {
          const found = await deliveryRows({ eventRowId: event.id });
          return found.length === 2 && found.every((row) => row.status === 'delivered') ? found : undefined;
        },
        { what: 'the email and SMS deliveries to read delivered' },
      );
      expect(rows.map((row) => [row.channel, row.recipient, row.attempts, row.endpointId])).toEqual([
        ['email', email, 1, null],
        ['sms', phone, 1, null],
      ]);
      await sleep(QUIET_MS);
      expect(mailsTo(email)).toHaveLength(1);
      expect(smsTo(phone)).toHaveLength(1);
    });

    it('should send the refund notice by email and SMS', async () => {
      const show = await givenShowtime(t);
      const { buyer, email, phone } = await givenContactableCustomer();
      const order = await buyTickets(t.http, buyer, show.schedule.id, [{ row: 2, col: 6 }]);
      await pollUntil(() => mailsTo(email).length === 1 && smsTo(phone).length === 1, { what: 'the ticket messages' });
      await t.http.post(`${API}/orders/${order.id}/refund`).set(buyer.auth).expect(200);
      const refundEvent = (await eventsOfOrder(order.id)).find((event) => event.type === 'order.refunded')!;

      const mails = await pollUntil(() => (mailsTo(email).length === 2 ? mailsTo(email) : undefined), {
        what: 'the refund email',
      });
      const parsed = await simpleParser(mails[1].raw);
      expect(parsed.subject).toMatch(/^Refund/);
      expect(parsed.subject).toContain(show.movie.title);
      expect(parsed.messageId).toBe(`<refund.${refundEvent.eventId}@${MAIL_DOMAIN}>`);
      expect(parsed.text).toContain(String(order.id));
      expect(parsed.text).toContain(order.ticketCode);

      const texts = await pollUntil(() => (smsTo(phone).length === 2 ? smsTo(phone) : undefined), {
        what: 'the refund SMS',
      });
      expect(texts[1]).toEqual({ phone, purpose: 'refund', text: expect.stringContaining(String(order.id)) });
      const rows = await pollUntil(
        async () => {
          const found = await deliveryRows({ eventRowId: refundEvent.id });
          return found.length === 2 && found.every((row) => row.status === 'delivered') ? found : undefined;
        },
        { what: 'the refund deliveries to read delivered' },
      );
      expect(rows.map((row) => row.channel)).toEqual(['email', 'sms']);
    });

    it('should send nothing to a customer without email or phone, and no messages for other events', async () => {
      const show = await givenShowtime(t);
      const order = await buyTickets(t.http, customer, show.schedule.id, [{ row: 4, col: 4 }]);
      const [event] = await eventsOfOrder(order.id);
      await pollUntil(async () => (await t.db.getRepository(OutboxEvent).findOneByOrFail({ id: event.id })).routedAt, {
        what: 'the event to be routed',
      });
      expect(await deliveryRows({ eventRowId: event.id })).toEqual([]);

      const { buyer, email } = await givenContactableCustomer();
      const held = (await hold(t.http, buyer, show.schedule.id, [{ row: 4, col: 5 }]).expect(201)).body.data;
      await t.http.post(`${API}/orders/${held.id}/cancel`).set(buyer.auth).expect(200);
      const [cancelled] = await eventsOfOrder(held.id);
      await pollUntil(
        async () => (await t.db.getRepository(OutboxEvent).findOneByOrFail({ id: cancelled.id })).routedAt,
        { what: 'the cancellation to be routed' },
      );
      expect(await deliveryRows({ eventRowId: cancelled.id })).toEqual([]);
      expect(mailsTo(email)).toEqual([]);
    });
  });
});

describe('Webhook URLs without WEBHOOK_ALLOW_PRIVATE (CONTRACT 14)', () => {
  // ConfigModule validates the environment once per module graph: a fresh graph sees WEBHOOK_ALLOW_PRIVATE=off.
  let t: TestApp;
  let givenShowtimeHere: typeof givenShowtime;

  beforeAll(async () => {
    await jest.isolateModulesAsync(async () => {
      const testApp = await import('./support/test-app');
      const factories = await import('./support/factories');
      t = await testApp.bootTestApp({ WEBHOOK_ALLOW_PRIVATE: 'off', NOTIFICATION_WORKER: 'off' });
      givenShowtimeHere = factories.givenShowtime;
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/',
    'http://10.0.0.5/',
    'http://192.168.1.20/hook',
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data',
    'https://0.0.0.0/',
    'http://2130706433/',
    'http://0x7f.0.0.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fd00::1]/',
    'http://localhost./',
    'http://api.localhost/',
  ])('should answer 1002 to %s and create nothing', async (url) => {
    const show = await givenShowtimeHere(t);
    const res = await t.http
      .post(`${API}/webhooks`)
      .set(show.merchant.auth)
      .send({ cinemaId: show.cinema.id, url, events: ['order.paid'] })
      .expect(400);
    expect(res.body).toMatchObject({ code: 1002, data: null });
    const rows = await t.db.query('SELECT COUNT(*) AS n FROM webhook_endpoints WHERE cinema_id = ?', [show.cinema.id]);
    expect(Number(rows[0].n)).toBe(0);
  });

  it('should refuse a private URL in a PATCH too, and accept a public one', async () => {
    const show = await givenShowtimeHere(t);
    const auth = show.merchant.auth;
    const created = await t.http
      .post(`${API}/webhooks`)
      .set(auth)
      .send({ cinemaId: show.cinema.id, url: 'https://93.184.215.14/hook', events: ['order.paid'] })
      .expect(201);
    const res = await t.http
      .patch(`${API}/webhooks/${created.body.data.id}`)
      .set(auth)
      .send({ url: 'http://127.0.0.1:9/' })
      .expect(400);
    expect(res.body.code).toBe(1002);
    const rows = await t.db.query('SELECT url FROM webhook_endpoints WHERE id = ?', [created.body.data.id]);
    expect(rows[0].url).toBe('https://93.184.215.14/hook');
  });
});
