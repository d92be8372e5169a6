/** A seat by its row and its number in the row, both counting from 1. */
export interface SeatPosition {
  row: number;
  col: number;
}

/** A named group of seats priced together (CONTRACT section 13). */
export interface HallZone {
  name: string;
  seats: SeatPosition[];
}

/** The zone of every seat in no named zone. */
export const STANDARD_ZONE = 'standard';

export interface HallLayout {
  rows: number;
  cols: number;
  disabledSeats: SeatPosition[];
}

const seatKey = (seat: SeatPosition) => `${seat.row}:${seat.col}`;

/** What is wrong with a layout's disabled seats, or null: they must lie inside the grid, each once, and leave a seat. */
export function layoutProblem({ rows, cols, disabledSeats }: HallLayout): string | null {
  const seen = new Set<string>();
  for (const [index, seat] of disabledSeats.entries()) {
    if (seat.row > rows || seat.col > cols) {
      return `disabledSeats[${index}] (row ${seat.row}, col ${seat.col}) lies outside the ${rows}×${cols} grid`;
    }
    if (seen.has(seatKey(seat))) {
      return `disabledSeats[${index}] (row ${seat.row}, col ${seat.col}) is listed twice`;
    }
    seen.add(seatKey(seat));
  }
  if (seatCountOf({ rows, cols, disabledSeats }) < 1) return 'disabledSeats leave no seat in the hall';
  return null;
}

/** rows × cols less the disabled seats (which `layoutProblem` has checked are inside and distinct). */
export function seatCountOf({ rows, cols, disabledSeats }: HallLayout): number {
  return rows * cols - disabledSeats.length;
}

/** Whether a seat can be sold in the layout: inside the grid and not disabled. */
export function hasSeat(layout: HallLayout, seat: SeatPosition): boolean {
  if (seat.row < 1 || seat.col < 1 || seat.row > layout.rows || seat.col > layout.cols) return false;
  return !layout.disabledSeats.some((d) => d.row === seat.row && d.col === seat.col);
}

export function sameLayout(a: HallLayout, b: HallLayout): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols || a.disabledSeats.length !== b.disabledSeats.length) return false;
  const keys = new Set(a.disabledSeats.map(seatKey));
  return b.disabledSeats.every((seat) => keys.has(seatKey(seat)));
}

/** The layout after a change: seats given replace the old; kept ones that fall outside a smaller grid go. */
export function nextLayout(current: HallLayout, change: Partial<HallLayout>): HallLayout {
  const rows = change.rows ?? current.rows;
  const cols = change.cols ?? current.cols;
  const disabledSeats = change.disabledSeats
    ? change.disabledSeats.map(({ row, col }) => ({ row, col }))
    : current.disabledSeats.filter((seat) => seat.row <= rows && seat.col <= cols);
  return { rows, cols, disabledSeats };
}

/** A hall's priced seating: named zones and couple pairs, besides its layout. */
export interface HallSeatingPlan {
  zones: HallZone[];
  /** left seats of pairs: each sold together with (row, col + 1) */
  couples: SeatPosition[];
}

export const MAX_ZONES = 10;

/** Each seat's zone name, for seats in a named zone (the others are in STANDARD_ZONE). */
export function zoneBySeat(zones: HallZone[]): Map<string, string> {
  return new Map(zones.flatMap((zone) => zone.seats.map((seat) => [seatKey(seat), zone.name] as const)));
}

/** `left` or `right` for the seats of couple pairs. */
export function pairBySeat(couples: SeatPosition[]): Map<string, 'left' | 'right'> {
  const pairs = new Map<string, 'left' | 'right'>();
  for (const left of couples) {
    pairs.set(seatKey(left), 'left');
    pairs.set(seatKey({ row: left.row, col: left.col + 1 }), 'right');
  }
  return pairs;
}

/** The other seat of a couple pair, or null. */
export function partnerOf(pairs: Map<string, 'left' | 'right'>, seat: SeatPosition): SeatPosition | null {
  const side = pairs.get(seatKey(seat));
  if (!side) return null;
  return { row: seat.row, col: side === 'left' ? seat.col + 1 : seat.col - 1 };
}

export { seatKey as seatPositionKey };

/**
 * What is wrong with zones and couples in a layout, with the field to name, or null: at most 10
 * zones, names 1–20 characters, unique, not `standard`; every seat inside the grid, not disabled, in
 * at most one zone; a pair's two seats both seats of the hall, in one zone, and no seat in two pairs.
 */
export function seatingProblem(layout: HallLayout, plan: HallSeatingPlan): { field: string; message: string } | null {
  const { zones, couples } = plan;
  if (zones.length > MAX_ZONES) return { field: 'zones', message: `at most ${MAX_ZONES} zones` };
  const names = new Set<string>();
  const zoned = new Map<string, string>();
  for (const [z, zone] of zones.entries()) {
    const field = `zones[${z}]`;
    if (zone.name.length < 1 || zone.name.length > 20) {
      return { field, message: `${field}.name must be 1–20 characters` };
    }
    if (zone.name.toLowerCase() === STANDARD_ZONE) {
      return { field, message: `${field}.name: "${STANDARD_ZONE}" is the zone of seats in no zone` };
    }
    if (names.has(zone.name)) return { field, message: `${field}.name "${zone.name}" is used twice` };
    names.add(zone.name);
    for (const seat of zone.seats) {
      const where = `${field}: seat ${seat.row}-${seat.col}`;
      if (!hasSeat(layout, seat)) return { field, message: `${where} is outside the grid or disabled` };
      if (zoned.has(seatKey(seat))) {
        return { field, message: `${where} is already in zone ${zoned.get(seatKey(seat))}` };
      }
      zoned.set(seatKey(seat), zone.name);
    }
  }
  const paired = new Set<string>();
  for (const [c, left] of couples.entries()) {
    const field = `couples[${c}]`;
    const right = { row: left.row, col: left.col + 1 };
    if (!hasSeat(layout, left) || !hasSeat(layout, right)) {
      return {
        field,
        message: `${field}: seats ${left.row}-${left.col} and ${right.row}-${right.col} must both be seats of the hall`,
      };
    }
    if ((zoned.get(seatKey(left)) ?? STANDARD_ZONE) !== (zoned.get(seatKey(right)) ?? STANDARD_ZONE)) {
      return { field, message: `${field}: both seats of a pair must be in one zone` };
    }
    if (paired.has(seatKey(left)) || paired.has(seatKey(right))) {
      return { field, message: `${field}: a seat is in two pairs` };
    }
    paired.add(seatKey(left));
    paired.add(seatKey(right));
  }
  return null;
}
