export type LiveSeatStatus = 'available' | 'held' | 'sold';

export interface SeatStatusChange {
  row: number;
  col: number;
  status: LiveSeatStatus;
}

/** One committed change of a showtime's seats, numbered in commit order per showtime. */
export interface SeatChangeEvent {
  scheduleId: number;
  version: number;
  seats: SeatStatusChange[];
}
