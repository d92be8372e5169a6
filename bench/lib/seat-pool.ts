import { sleep } from './util';

/** The seats a rush still sees as available, and who buys what: shared by the HTTP rush and the bare database script. */

export interface ShowtimeSpec {
  id: number;
  rows: number;
  cols: number;
}

export interface Seat {
  row: number;
  col: number;
}

/** The contract's cap: one user holds or owns at most 6 seats of a showtime. */
export const MAX_SEATS_PER_USER = 6;

interface FreeSeats {
  cols: number;
  /** Free seat indexes in [0, count); pos[i] is the place of seat i in `seats`, or -1 once taken. */
  seats: Int32Array;
  pos: Int32Array;
  count: number;
  /** How many in-flight holds picked each seat; `open` counts the free seats nobody has picked. */
  reserved: Uint16Array;
  open: number;
}

/**
 * What the buyers believe is available. A seat leaves the pool only when a hold of it succeeds.
 * Buyers normally skip seats another buyer is holding right now (as a client refreshing its seat
 * map would), except for a share of picks that ignore them: those race a hold in flight, and the
 * server (or the database's unique key) decides who gets the seat.
 */
export class SeatPool {
  private readonly free = new Map<number, FreeSeats>();

  constructor(showtimes: ShowtimeSpec[]) {
    for (const s of showtimes) {
      const n = s.rows * s.cols;
      const seats = new Int32Array(n);
      const pos = new Int32Array(n);
      for (let i = 0; i < n; i++) seats[i] = pos[i] = i;
      this.free.set(s.id, { cols: s.cols, seats, pos, count: n, reserved: new Uint16Array(n), open: n });
    }
  }

  showtimeIds(): number[] {
    return [...this.free.keys()];
  }

  /** Free seats of the showtime; without `racing`, only those no hold in flight has picked. */
  available(showtimeId: number, racing: boolean): number {
    const f = this.free.get(showtimeId)!;
    return racing ? f.count : f.open;
  }

  remaining(): number {
    let total = 0;
    for (const f of this.free.values()) total += f.count;
    return total;
  }

  /** n distinct random free seats, sorted, left in the pool. */
  pick(showtimeId: number, n: number, racing: boolean, random: () => number): Seat[] {
    const f = this.free.get(showtimeId)!;
    const eligible = (i: number) => racing || f.reserved[i] === 0;
    const want = Math.min(n, this.available(showtimeId, racing));
    const chosen = new Set<number>();
    for (let guard = 0; chosen.size < want && guard < 200; guard++) {
      const seat = f.seats[Math.floor(random() * f.count)];
      if (eligible(seat)) chosen.add(seat);
    }
    // Few eligible seats left: rejection sampling would spin, so take them in order.
    for (let k = 0; chosen.size < want && k < f.count; k++) if (eligible(f.seats[k])) chosen.add(f.seats[k]);
    return [...chosen].sort((a, b) => a - b).map((i) => ({ row: Math.floor(i / f.cols) + 1, col: (i % f.cols) + 1 }));
  }

  reserve(showtimeId: number, seats: Seat[]): void {
    const f = this.free.get(showtimeId)!;
    for (const seat of seats) {
      const i = this.index(f, seat);
      if (f.pos[i] >= 0 && f.reserved[i] === 0) f.open--;
      f.reserved[i]++;
    }
  }

  release(showtimeId: number, seats: Seat[]): void {
    const f = this.free.get(showtimeId)!;
    for (const seat of seats) {
      const i = this.index(f, seat);
      f.reserved[i]--;
      if (f.pos[i] >= 0 && f.reserved[i] === 0) f.open++;
    }
  }

  /** The seats are held now (or in an unknown state): nobody picks them again. */
  take(showtimeId: number, seats: Seat[]): void {
    const f = this.free.get(showtimeId)!;
    for (const seat of seats) {
      const i = this.index(f, seat);
      const at = f.pos[i];
      if (at < 0) continue;
      if (f.reserved[i] === 0) f.open--;
      const last = f.seats[f.count - 1];
      f.seats[at] = last;
      f.pos[last] = at;
      f.pos[i] = -1;
      f.count--;
    }
  }

  private index(f: FreeSeats, { row, col }: Seat): number {
    return (row - 1) * f.cols + (col - 1);
  }
}

/** One rush client: its own users, so that it never trips over the per-user cap of another client. */
export class Buyer<U> {
  private readonly counts = new Map<number, Int32Array>();

  constructor(readonly users: U[]) {}

  /** A user that may still take n seats of the showtime, or -1. */
  userFor(showtimeId: number, n: number): number {
    const counts = this.countsOf(showtimeId);
    for (let i = 0; i < counts.length; i++) if (counts[i] + n <= MAX_SEATS_PER_USER) return i;
    return -1;
  }

  add(showtimeId: number, userIndex: number, n: number): void {
    this.countsOf(showtimeId)[userIndex] += n;
  }

  private countsOf(showtimeId: number): Int32Array {
    let counts = this.counts.get(showtimeId);
    if (!counts) this.counts.set(showtimeId, (counts = new Int32Array(this.users.length)));
    return counts;
  }
}

export interface NextOrder {
  showtimeId: number;
  userIndex: number;
  seats: Seat[];
  /** Picked without regard to holds in flight: may lose to one of them. */
  racing: boolean;
}

/**
 * The buyer's next order: a random showtime it can still buy in, and random free seats of it.
 * 'wait' while every seat it could pick is in another buyer's hold in flight; null when it is done.
 */
export function nextOrder<U>(
  pool: SeatPool,
  buyer: Buyer<U>,
  seatsPerOrder: number,
  raceShare: number,
  random: () => number,
): NextOrder | 'wait' | null {
  const racing = random() < raceShare;
  const open: { showtimeId: number; userIndex: number; n: number }[] = [];
  let buyable = false;
  for (const showtimeId of pool.showtimeIds()) {
    const free = pool.available(showtimeId, true);
    if (free === 0 || buyer.userFor(showtimeId, 1) < 0) continue;
    buyable = true;
    for (let n = Math.min(seatsPerOrder, pool.available(showtimeId, racing)); n > 0; n--) {
      const userIndex = buyer.userFor(showtimeId, n);
      if (userIndex >= 0) {
        open.push({ showtimeId, userIndex, n });
        break;
      }
    }
  }
  if (!open.length) return buyable ? 'wait' : null;
  const { showtimeId, userIndex, n } = open[Math.floor(random() * open.length)];
  return { showtimeId, userIndex, seats: pool.pick(showtimeId, n, racing, random), racing };
}

export interface BuyingRules {
  pool: SeatPool;
  seatsPerOrder: number;
  raceShare: number;
  random: () => number;
  /** performance.now() past which the client gives up */
  deadline: number;
  /** orders tried at the most (a bound in count besides the one in time) */
  maxAttempts: number;
  /** checked before each order: true ends the loop (too many failures, say) */
  stop: () => boolean;
}

/**
 * One client's loop, the same for the rush and the bare script: the next order goes to `place`
 * until nothing is left to buy. Waiting while every seat left is in a hold in flight costs no try;
 * the deadline bounds it. Answers true when the deadline ended it.
 */
export async function buyUntilSoldOut<U>(
  rules: BuyingRules,
  buyer: Buyer<U>,
  place: (order: NextOrder) => Promise<void>,
): Promise<boolean> {
  for (let attempt = 0; !rules.stop() && attempt < rules.maxAttempts;) {
    if (performance.now() > rules.deadline) return true;
    const order = nextOrder(rules.pool, buyer, rules.seatsPerOrder, rules.raceShare, rules.random);
    if (order === null) return false;
    if (order === 'wait') {
      await sleep(2);
      continue;
    }
    attempt++;
    await place(order);
  }
  return false;
}
