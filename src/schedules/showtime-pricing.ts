import { HallLayout, HallZone, hasSeat, STANDARD_ZONE } from '../halls/hall-layout';
import type { TicketType } from './entities/schedule.entity';

export type { TicketType };

/** A showtime's prices: the base price (zone `standard` and zones without their own), zone prices and ticket types, in cents. */
export interface ShowtimePricing {
  priceCents: number;
  zonePrices: Record<string, number>;
  ticketTypes: TicketType[];
}

/** The zones that have seats, `standard` first when some seat is in no named zone. */
export function zonesWithSeats(hall: HallLayout & { zones: HallZone[] | null }): string[] {
  const named = (hall.zones ?? []).filter((zone) => zone.seats.some((seat) => hasSeat(hall, seat)));
  const zonedSeats = named.reduce((sum, zone) => sum + zone.seats.filter((seat) => hasSeat(hall, seat)).length, 0);
  const seats = hall.rows * hall.cols - hall.disabledSeats.length;
  return [...(zonedSeats < seats ? [STANDARD_ZONE] : []), ...named.map((zone) => zone.name)];
}

export function zonePriceCents(pricing: ShowtimePricing, zone: string): number {
  return pricing.zonePrices[zone] ?? pricing.priceCents;
}

/** A seat's price: its zone's, less its ticket type's discount; never under one fen. */
export function seatPriceCents(pricing: ShowtimePricing, zone: string, ticketType: TicketType | undefined): number {
  return Math.max(1, zonePriceCents(pricing, zone) - (ticketType?.discountCents ?? 0));
}

/**
 * What is wrong with a showtime's zone prices and ticket types in its hall (1002), or null: a price
 * for a zone the hall does not have, a ticket type named twice, or one that would take any zone's
 * price under 0.01.
 */
export function pricingProblem(
  hall: HallLayout & { zones: HallZone[] | null },
  pricing: ShowtimePricing,
): { field: string; message: string } | null {
  const names = new Set((hall.zones ?? []).map((zone) => zone.name));
  const unknown = Object.keys(pricing.zonePrices).find((zone) => !names.has(zone));
  if (unknown !== undefined) {
    const message =
      unknown === STANDARD_ZONE
        ? `zone "${STANDARD_ZONE}" sells at the showtime's price`
        : `the hall has no zone "${unknown}"`;
    return { field: 'zonePrices', message };
  }
  const seen = new Set<string>();
  const cheapest = Math.min(...zonesWithSeats(hall).map((zone) => zonePriceCents(pricing, zone)));
  for (const [i, type] of pricing.ticketTypes.entries()) {
    const field = `ticketTypes[${i}]`;
    if (seen.has(type.name)) return { field, message: `${field}.name "${type.name}" is used twice` };
    seen.add(type.name);
    if (cheapest - type.discountCents < 1) {
      return { field, message: `${field}: a discount of ${type.discountCents / 100} would take a seat under 0.01` };
    }
  }
  return null;
}
