import { Injectable } from '@nestjs/common';
import { isDuplicateKeyError } from '../database/db-errors';
import { Outcome, SaleTransactions, ShowtimeBatches } from '../database/sale-transactions';
import type { Transaction } from '../database/transaction';
import { SeatEventsService } from '../live-seats/seat-events.service';
import { PaymentRecord, PaymentRecordsService } from '../payments/payment-records.service';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import type { PaymentMethod } from '../config/payment-settings';
import type { Order } from './entities/order.entity';
import type { OrderView } from './order-views.repository';
import { OrdersRepository, PaidFields } from './orders.repository';
import { ProviderFollowUps } from './provider-follow-ups.service';
import { SeatClaimsRepository } from './seat-claims.repository';
import { newTicketCode } from './ticket-code';
import { orderEvent } from './order-events';
import { OutboxService } from '../outbox/outbox.service';

/** A payment to turn into a sale: mock (recorded as it settles) or a provider's, reported paid. */
export type Settle =
  | { view: OrderView; channel: 'mock'; method: PaymentMethod }
  | { view: OrderView; channel: string; payment: PaymentRecord; providerTradeNo: string };

export type Settlement =
  /** The order is paid now, by this payment; `others` are its attempts still open, to be closed. */
  | { kind: 'sold'; order: Order; payment: PaymentRecord; others: PaymentRecord[] }
  /** This payment was settled before (a repeated notification, a racing query): nothing changed. */
  | { kind: 'settled-before' }
  /** The order could not be sold any more: this payment's money goes back (recorded, then asked of the provider). */
  | { kind: 'refunding'; payment: PaymentRecord }
  /** Mock only: the order was no longer pending and live; nothing was taken. */
  | { kind: 'not-payable' };

/**
 * The one step that turns a payment into a sale, for mock and providers alike (CONTRACT sections 7
 * and 12): in one transaction under the showtime's lock, the payment turns paid, the order turns
 * paid, its claims turn permanent, the showtime counts the seats sold and the seat map learns of
 * them. A provider's payment that finds its order lapsed still buys the seats if they are free;
 * otherwise (taken, or the order paid by another payment, cancelled, refunded) it is refunded in full.
 */
@Injectable()
export class PaymentSettlementService {
  private readonly batches: ShowtimeBatches<Settle, Settlement>;

  constructor(
    sales: SaleTransactions,
    private readonly schedules: ScheduleSalesService,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly records: PaymentRecordsService,
    private readonly seatEvents: SeatEventsService,
    private readonly followUps: ProviderFollowUps,
    private readonly outbox: OutboxService,
  ) {
    // Ticket codes are random: on the rare collision with uq_orders_ticket_code the batch is decided
    // again, with new codes.
    this.batches = sales.perShowtime((tx, jobs) => this.decide(tx, jobs), { retryAlso: isDuplicateKeyError });
  }

  /** Settles, then (after the commit) closes the order's other open attempts and sends a refund decided here. */
  async settle(job: Settle): Promise<Settlement> {
    const settlement = await this.batches.run(job.view.order.scheduleId, job);
    if (settlement.kind === 'sold' && settlement.others.length) await this.followUps.closeAll(settlement.others);
    if (settlement.kind === 'refunding') await this.followUps.sendRefund(settlement.payment);
    return settlement;
  }

  private async decide(tx: Transaction, jobs: Settle[]): Promise<Outcome<Settlement>[]> {
    const { scheduleId } = jobs[0].view.order;
    const now = tx.startedAt;
    const fields = jobs.map(({ channel }): PaidFields => ({
      paidAt: now,
      ticketCode: newTicketCode(),
      paymentChannel: channel,
    }));
    // Of racing notifications for one payment (in this batch or on other instances), one claims it.
    const [, claimed] = await Promise.all([
      this.schedules.lockSeats(tx, [scheduleId]),
      Promise.all(
        jobs.map((job) =>
          'payment' in job
            ? this.records.markPaid(tx, job.payment.id, job.providerTradeNo, now)
            : Promise.resolve(true),
        ),
      ),
    ]);
    // Round trip 2: the orders turn paid, and each mock payment is recorded paid beside its order, so
    // that its id is known to the order.paid event of round trip 3; one whose order did not turn paid
    // is deleted again there (nothing was taken).
    const [paid, mockIds] = await Promise.all([
      Promise.all(
        jobs.map(({ view: { order } }, i) =>
          claimed[i] ? this.orders.markPaid(tx, order.id, fields[i], now, order.seats.length) : Promise.resolve(false),
        ),
      ),
      Promise.all(
        jobs.map((job) =>
          'payment' in job
            ? Promise.resolve(0)
            : this.records.insert(tx, { ...mockPayment(job.view.order, job.method, now), now }),
        ),
      ),
    ]);
    const settlements: Settlement[] = [];
    for (const [i, job] of jobs.entries()) {
      const step = { claimed: claimed[i], paid: paid[i], fields: fields[i], mockId: mockIds[i] };
      settlements.push(await this.settleOne(tx, job, step));
    }
    const unused = mockIds.filter((id, i) => id && settlements[i].kind !== 'sold');
    const sold = settlements.flatMap((settlement) => (settlement.kind === 'sold' ? [settlement] : []));
    const paidEvents = jobs.flatMap((job, i) => {
      const settlement = settlements[i];
      if (settlement.kind !== 'sold') return [];
      return [orderEvent('order.paid', job.view, settlement.order, settlement.payment, now)];
    });
    if (sold.length || unused.length) {
      const orders = sold.map((settlement) => settlement.order);
      const seats = orders.flatMap((order) =>
        order.seats.map(({ row, col }) => ({ row, col, status: 'sold' as const })),
      );
      // Round trip 3: the claims turn permanent, the showtime counts the seats, the sales are
      // recorded as events, and the sold orders' attempts still open are read, to be closed after
      // the commit.
      const [, version, , open] = await Promise.all([
        Promise.all(orders.map((order) => this.claims.makePermanent(tx, order.id))),
        seats.length ? this.schedules.recordSeatChange(tx, scheduleId, seats.length) : Promise.resolve(0),
        Promise.all([this.outbox.record(tx, paidEvents), this.records.discard(tx, unused)]),
        orders.length
          ? this.records.openOf(
              tx,
              orders.map((order) => order.id),
            )
          : Promise.resolve([]),
      ]);
      sold.forEach((settlement) => {
        settlement.others = open.filter((payment) => payment.orderId === settlement.order.id);
      });
      if (seats.length) this.seatEvents.publishAfterCommit(tx, scheduleId, version, seats);
    }
    return settlements.map((value) => ({ value }));
  }

  private async settleOne(
    tx: Transaction,
    job: Settle,
    step: { claimed: boolean; paid: boolean; fields: PaidFields; mockId: number },
  ): Promise<Settlement> {
    const now = tx.startedAt;
    const { order } = job.view;
    if (!step.claimed) return { kind: 'settled-before' };
    if (!('payment' in job)) {
      if (!step.paid) return { kind: 'not-payable' };
      const payment = { ...mockPayment(order, job.method, now), id: step.mockId };
      return { kind: 'sold', order: { ...order, status: 'paid', ...step.fields }, payment, others: [] };
    }
    const payment: PaymentRecord = {
      ...job.payment,
      status: 'paid',
      providerTradeNo: job.providerTradeNo,
      paidAt: now,
    };
    if (step.paid || (job.view.show.startsAt > now && (await this.sellLate(tx, order, step.fields)))) {
      return { kind: 'sold', order: { ...order, status: 'paid', ...step.fields }, payment, others: [] };
    }
    await Promise.all([
      this.records.recordRefund(
        tx,
        payment,
        { status: 'pending', reason: 'paid after the order could no longer be sold' },
        now,
      ),
      this.expireLapsed(tx, job.view),
    ]);
    return { kind: 'refunding', payment: { ...payment, status: 'refunding' } };
  }

  /**
   * A payment too late to buy the seats ends its order's hold here when the sweep has not yet: the
   * order turns expired, with its event, like the sweep would do it.
   */
  private async expireLapsed(tx: Transaction, view: OrderView): Promise<void> {
    const now = tx.startedAt;
    const { order } = view;
    if (!(await this.orders.markExpired(tx, [order.id], now))) return;
    const expired = { ...order, status: 'expired' as const, closedAt: now };
    const latest = await this.records.latestOf([order.id], tx);
    await Promise.all([
      this.claims.deleteOfOrder(tx, order.id),
      this.outbox.record(tx, [orderEvent('order.expired', view, expired, latest.get(order.id), now)]),
    ]);
  }

  /**
   * The hold lapsed before the money came: the seats are bought anyway if no other order holds or
   * bought any of them (lapsed claims of others are cleared, as a new hold would clear them).
   */
  private async sellLate(tx: Transaction, order: Order, fields: PaidFields): Promise<boolean> {
    const now = tx.startedAt;
    const claims = await this.claims.onSeats(tx, order.scheduleId, order.seats);
    const live = (expiresAt: Date | null) => expiresAt === null || expiresAt > now;
    if (claims.some((claim) => claim.orderId !== order.id && live(claim.expiresAt))) return false;
    if (!(await this.orders.markPaidLate(tx, order.id, fields, now))) return false;
    const own = claims.filter((claim) => claim.orderId === order.id);
    const missing = order.seats.filter(
      (seat) => !own.some((claim) => claim.row === seat.row && claim.col === seat.col),
    );
    await this.claims.deleteByIds(
      tx,
      claims.filter((claim) => claim.orderId !== order.id).map((claim) => claim.id),
    );
    if (missing.length) {
      await this.claims.insert(
        tx,
        { scheduleId: order.scheduleId, orderId: order.id, userId: order.userId, expiresAt: now },
        missing,
      );
    }
    return true;
  }
}

/** A mock payment is taken at once: recorded paid, its id given by the insert. */
function mockPayment(order: Order, method: PaymentMethod, now: Date): PaymentRecord & { status: 'paid' } {
  return {
    id: 0,
    orderId: order.id,
    channel: 'mock',
    method,
    status: 'paid',
    amountCents: order.amountCents,
    outTradeNo: PaymentRecordsService.newOutTradeNo(order.id),
    providerTradeNo: null,
    qrCode: null,
    appParams: null,
    expiresAt: order.expiresAt,
    createdAt: now,
    paidAt: now,
    closedAt: null,
    refundedAt: null,
  };
}
