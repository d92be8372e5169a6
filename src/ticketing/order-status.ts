import type { Order, OrderStatus } from './entities/order.entity';

export type { OrderStatus };
export const ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'paid', 'cancelled', 'expired', 'refunded'];

/**
 * The status a caller sees: a pending order whose hold has lapsed is expired from that instant,
 * whether or not the sweep has written it yet (the contract reads it by time, not by sweep).
 */
export function effectiveStatus(order: Pick<Order, 'status' | 'expiresAt'>, now: Date): OrderStatus {
  return order.status === 'pending' && order.expiresAt.getTime() <= now.getTime() ? 'expired' : order.status;
}

/** Why a refund is refused (2007), or null when it is allowed; the cutoff is REFUND_CUTOFF_MINUTES before the start. */
export function refundRefusal(
  order: Pick<Order, 'status' | 'checkedInAt'>,
  startsAt: Date,
  now: Date,
  cutoffMinutes: number,
): string | null {
  if (order.status !== 'paid') return 'only a paid order can be refunded';
  if (order.checkedInAt) return 'a checked-in ticket can no longer be refunded';
  if (now.getTime() >= startsAt.getTime() - cutoffMinutes * 60_000) {
    return `refunds close ${cutoffMinutes} minutes before the showtime starts`;
  }
  return null;
}
