/** When a showtime holds its hall: from its start until its end; the cleaning gap is added on top. */
export interface ShowtimeSlot {
  startsAt: Date;
  endsAt: Date;
}

const MINUTE_MS = 60_000;

/** The instant the hall is free again: the end plus the cleaning gap. */
export function hallFreeAt(slot: ShowtimeSlot, cleaningMinutes: number): Date {
  return new Date(slot.endsAt.getTime() + cleaningMinutes * MINUTE_MS);
}

/** Two showtimes clash when their occupied spans [start, end + gap) intersect; touching ends do not clash. */
export function slotsOverlap(a: ShowtimeSlot, b: ShowtimeSlot, cleaningMinutes: number): boolean {
  return a.startsAt < hallFreeAt(b, cleaningMinutes) && b.startsAt < hallFreeAt(a, cleaningMinutes);
}

/**
 * The same rule turned into bounds on a stored showtime's own columns, so the database can use them
 * without date arithmetic (which SQLite and MariaDB spell differently): it clashes with `slot` when it
 * starts before `slot` frees the hall and ends after `slot`'s start less the gap.
 */
export function clashBounds(slot: ShowtimeSlot, cleaningMinutes: number): { startsBefore: Date; endsAfter: Date } {
  return {
    startsBefore: hallFreeAt(slot, cleaningMinutes),
    endsAfter: new Date(slot.startsAt.getTime() - cleaningMinutes * MINUTE_MS),
  };
}

/** A stored showtime that `clashBounds` selects (the database applies the same comparisons). */
export function withinClashBounds(stored: ShowtimeSlot, bounds: { startsBefore: Date; endsAfter: Date }): boolean {
  return stored.startsAt < bounds.startsBefore && stored.endsAt > bounds.endsAfter;
}
