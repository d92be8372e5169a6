import { DataSource, IsNull } from 'typeorm';
import { Order } from '../../src/ticketing/entities/order.entity';
import { SeatClaim } from '../../src/ticketing/entities/seat-claim.entity';
import type { GivenUser } from './factories';
import type { WechatNotificationMessage } from './gateways/wechat-pay-gateway';
import { eventually, paymentsOf, ProviderGateways, refundOf } from './provider-payments';
import { Seat, soldCountOf } from './ticketing';

export type Channel = 'alipay' | 'wechat';

/** An order held and opened at a provider through instance A, then paid at the provider's gateway. */
export interface PaidAtProvider {
  customer: GivenUser;
  id: number;
  scheduleId: number;
  seats: Seat[];
  channel: Channel;
  outTradeNo: string;
  amountCents: number;
  /** What the provider posts to the app: Alipay's signed form, or WeChat Pay's signed message. */
  notification: Record<string, string> | WechatNotificationMessage;
}

/** An order as the database and its provider's gateway hold it once the race is over. */
export interface State {
  order: string;
  payments: string[];
  /** `refund_no:amount_cents:status` of each payment's refund, or null */
  refunds: (string | null)[];
  /** each of the order's seat claims: permanent (sold) or still held */
  claims: string[];
  /** what the gateway refunded of the trade */
  gatewayRefunds: string[];
}

/** How long the sweeps and follow-ups (refunds sent after a commit) may take to leave nothing pending. */
export const SETTLE_MS = 30_000;

/**
 * What a payment race left, read the same way on one MariaDB server and on a Galera Cluster: each
 * order's state in the database and at its provider's gateway, the two outcomes the contract allows,
 * and each showtime's seat book. `db` and `gateways` are read when called (they exist after beforeAll).
 */
export function paymentRaceReads(db: () => DataSource, gateways: () => ProviderGateways) {
  /** What the database and the order's gateway hold for the order. */
  async function stateOf(order: PaidAtProvider): Promise<State> {
    const row = await db().getRepository(Order).findOneByOrFail({ id: order.id });
    const payments = await paymentsOf(db(), order.id);
    const refunds = await Promise.all(payments.map((payment) => refundOf(db(), payment.id)));
    const claims = await db().getRepository(SeatClaim).findBy({ orderId: order.id });
    let gatewayRefunds: string[];
    if (order.channel === 'alipay') {
      gatewayRefunds = (gateways().alipay.trade(order.outTradeNo)?.refunds ?? []).map(
        (refund) => `${refund.refundNo}:${refund.amountCents}`,
      );
    } else {
      const refund = gateways().wechat.refund(`R${order.outTradeNo}`);
      const cents = gateways().wechat.refundedCents(order.outTradeNo);
      // refundedCents counts every refund of the trade: more than this one refund would show.
      gatewayRefunds = cents ? [`${refund?.outRefundNo}:${cents}:${refund?.status}`] : [];
    }
    return {
      order: row.status,
      payments: payments.map((payment) => payment.status),
      refunds: refunds.map((refund) => (refund ? `${refund.refundNo}:${refund.amountCents}:${refund.status}` : null)),
      claims: claims.map((claim) => (claim.expiresAt === null ? 'sold' : 'held')),
      gatewayRefunds,
    };
  }

  /** Nothing left for a sweep or a follow-up to do. */
  const settled = (state: State) =>
    state.order !== 'pending' &&
    state.payments.every((status) => status !== 'pending' && status !== 'refunding') &&
    state.refunds.every((refund) => refund === null || refund.endsWith(':succeeded'));

  async function settledStates(orders: PaidAtProvider[]): Promise<State[]> {
    return eventually(
      () => Promise.all(orders.map(stateOf)),
      (states) => states.every(settled),
      SETTLE_MS,
    );
  }

  /** The two outcomes the contract allows, as `stateOf` reads them. */
  function sold(order: PaidAtProvider): State {
    return {
      order: 'paid',
      payments: ['paid'],
      refunds: [null],
      claims: order.seats.map(() => 'sold'),
      gatewayRefunds: [],
    };
  }
  function refunded(order: PaidAtProvider, orderStatus: string): State {
    const refundNo = `R${order.outTradeNo}`;
    return {
      order: orderStatus,
      payments: ['refunded'],
      refunds: [`${refundNo}:${order.amountCents}:succeeded`],
      claims: [],
      gatewayRefunds: [
        order.channel === 'alipay' ? `${refundNo}:${order.amountCents}` : `${refundNo}:${order.amountCents}:SUCCESS`,
      ],
    };
  }

  /** Seats sold on each showtime: counted once each, and as many as the paid orders bought. */
  async function seatBook(scheduleIds: number[]) {
    const books = [];
    for (const scheduleId of scheduleIds) {
      const paidOrders = await db().getRepository(Order).findBy({ scheduleId, status: 'paid' });
      const permanent = await db().getRepository(SeatClaim).findBy({ scheduleId, expiresAt: IsNull() });
      const perSeat = new Map<string, number>();
      for (const claim of permanent) {
        const seat = `${claim.seatRow}-${claim.seatCol}`;
        perSeat.set(seat, (perSeat.get(seat) ?? 0) + 1);
      }
      books.push({
        scheduleId,
        seatsClaimedTwice: [...perSeat].filter(([, count]) => count > 1).map(([seat]) => seat),
        soldCount: await soldCountOf(db(), scheduleId),
        seatsOfPaidOrders: paidOrders.reduce((sum, order) => sum + order.seats.length, 0),
        permanentClaims: permanent.length,
      });
    }
    return books;
  }

  return { stateOf, settledStates, sold, refunded, seatBook };
}
