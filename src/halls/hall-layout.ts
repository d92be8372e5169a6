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
