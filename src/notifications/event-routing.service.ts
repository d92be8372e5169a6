import { Injectable } from '@nestjs/common';
import { SaleTransactions } from '../database/sale-transactions';
import type { Transaction } from '../database/transaction';
import { OutboxService, RecordedEvent } from '../outbox/outbox.service';
import { UsersService } from '../users/users.service';
import { NewDelivery, DeliveriesRepository } from './deliveries.repository';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';

const BATCH = 100;

/** The events a customer is told of, by email and SMS: a ticket when paid, a notice when refunded. */
const CUSTOMER_EVENTS = new Set(['order.paid', 'order.refunded']);

/**
 * Turns recorded events into deliveries: one per active endpoint of the event's cinema that takes
 * its type and existed when it happened, and the customer's email and SMS where they apply. Events
 * are taken locked (one instance routes each) and marked routed in the same transaction.
 */
@Injectable()
export class EventRouting {
  constructor(
    private readonly sales: SaleTransactions,
    private readonly outbox: OutboxService,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly users: UsersService,
  ) {}

  /** Routes until nothing is left; answers how many events it routed. */
  async routeAll(): Promise<number> {
    let routed = 0;
    while (await this.outbox.anyUnrouted()) {
      const count = await this.sales.run((tx) => this.routeBatch(tx));
      routed += count;
      if (count < BATCH) break;
    }
    return routed;
  }

  private async routeBatch(tx: Transaction): Promise<number> {
    const events = await this.outbox.takeUnrouted(tx, BATCH);
    if (!events.length) return 0;
    const customerIds = events.filter((event) => CUSTOMER_EVENTS.has(event.type)).map((event) => event.userId);
    const [subscribers, contacts] = await Promise.all([
      this.endpoints.activeOf(tx, [...new Set(events.map((event) => event.cinemaId))]),
      this.users.contactsOf([...new Set(customerIds)]),
    ]);
    const deliveries = events.flatMap((event): NewDelivery[] => {
      const hooks = subscribers
        .filter((hook) => hook.cinemaId === event.cinemaId && hook.events.includes(event.type))
        .filter((hook) => hook.createdAt <= event.createdAt)
        .map((hook) => ({ eventRowId: event.id, channel: 'webhook' as const, endpointId: hook.id, recipient: null }));
      return [...hooks, ...customerDeliveries(event, contacts.get(event.userId))];
    });
    await Promise.all([
      this.deliveries.insert(tx, deliveries, tx.startedAt),
      this.outbox.markRouted(
        tx,
        events.map((event) => event.id),
        tx.startedAt,
      ),
    ]);
    return events.length;
  }
}

function customerDeliveries(
  event: RecordedEvent,
  contact: { email: string | null; phone: string | null } | undefined,
): NewDelivery[] {
  if (!contact || !CUSTOMER_EVENTS.has(event.type)) return [];
  const to = (channel: 'email' | 'sms', recipient: string | null): NewDelivery[] =>
    recipient ? [{ eventRowId: event.id, channel, endpointId: null, recipient }] : [];
  return [...to('email', contact.email), ...to('sms', contact.phone)];
}
