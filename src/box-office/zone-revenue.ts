import { STANDARD_ZONE } from '../halls/hall-layout';
import type { PaidOrderSeatsRow } from './box-office.repository';

export interface ZoneSales {
  zone: string;
  ticketCount: number;
  revenueCents: number;
}

/**
 * Splits `totalCents` into integer parts in proportion to `weights`, summing exactly to `totalCents`,
 * by largest remainder: each part takes the floor of its exact share, and the cents left over go one
 * each to the parts with the largest fractional remainders (ties: the earlier part). Weights that sum
 * to 0 (not sold by ticketing, which prices every seat at 0.01 or more) count as equal.
 */
export function splitByWeight(totalCents: number, weights: readonly number[]): number[] {
  if (!weights.length) return [];
  const sum = weights.reduce((total, weight) => total + weight, 0);
  const shares = sum > 0 ? weights : weights.map(() => 1);
  const weightSum = sum > 0 ? sum : weights.length;
  // Integer arithmetic: cents × cents stays far below 2^53 for any real order.
  const parts = shares.map((weight) => Math.floor((totalCents * weight) / weightSum));
  const remainders = shares.map((weight, i) => ({ i, rest: totalCents * weight - parts[i] * weightSum }));
  remainders.sort((a, b) => b.rest - a.rest || a.i - b.i);
  let left = totalCents - parts.reduce((total, part) => total + part, 0);
  for (const { i } of remainders) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

/**
 * Tickets and money taken per zone. Each order's `amount_cents` (its seats' prices less the voucher
 * discount) is split across its seats in proportion to their prices by largest remainder, which is
 * the voucher discount shared out in proportion to the prices: an order's zone revenues sum exactly
 * to its amount. A seat sold before zones counts in `standard` at the order's unit price.
 * Highest revenue first, then zone name (code point order, the same on every database).
 */
export function sumSalesByZone(orders: readonly PaidOrderSeatsRow[]): ZoneSales[] {
  const byZone = new Map<string, ZoneSales>();
  for (const order of orders) {
    const prices = order.seats.map((seat) => seat.priceCents ?? order.unitPriceCents);
    const taken = splitByWeight(order.amountCents, prices);
    order.seats.forEach((seat, i) => {
      const zone = seat.zone ?? STANDARD_ZONE;
      const sales = byZone.get(zone) ?? { zone, ticketCount: 0, revenueCents: 0 };
      sales.ticketCount += 1;
      sales.revenueCents += taken[i];
      byZone.set(zone, sales);
    });
  }
  return [...byZone.values()].sort(
    (a, b) => b.revenueCents - a.revenueCents || (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0),
  );
}
