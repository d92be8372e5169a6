import type { Sql } from './db';

export interface SaleAudit {
  /** Seats with more than one permanent claim (the unique key should make this impossible). */
  doubleClaimed: number;
  /** Seats listed in more than one paid order. */
  doublePaid: number;
  /** Seats in paid orders, and permanent claims, over the audited showtimes. */
  paidSeats: number;
  permanentClaims: number;
  /** Sum over showtimes of |schedules.sold_count − seats of its paid orders|. */
  soldCountDrift: number;
}

/** Read after the rush, straight from the database: was any seat sold twice, and do the counters agree? */
export async function auditSales(sql: Sql, showtimeIds: number[]): Promise<SaleAudit> {
  const ids = showtimeIds.join(', ');
  const [dup] = await sql.all<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM (SELECT schedule_id FROM seat_claims WHERE expires_at IS NULL AND schedule_id IN (${ids})
       GROUP BY schedule_id, seat_row, seat_col HAVING COUNT(*) > 1) d`,
  );
  const claims = await sql.all<{ id: number; n: number | string }>(
    `SELECT schedule_id AS id, COUNT(*) AS n FROM seat_claims WHERE expires_at IS NULL AND schedule_id IN (${ids}) GROUP BY schedule_id`,
  );
  const counters = await sql.all<{ id: number; sold: number | string }>(
    `SELECT id, sold_count AS sold FROM schedules WHERE id IN (${ids})`,
  );
  const paid = await sql.all<{ id: number; seats: string }>(
    `SELECT schedule_id AS id, seats FROM orders WHERE status = 'paid' AND schedule_id IN (${ids})`,
  );
  const seatsOfShowtime = new Map<number, number>();
  const seen = new Set<string>();
  let doublePaid = 0;
  for (const order of paid) {
    const seats = JSON.parse(order.seats) as { row: number; col: number }[];
    seatsOfShowtime.set(Number(order.id), (seatsOfShowtime.get(Number(order.id)) ?? 0) + seats.length);
    for (const seat of seats) {
      const key = `${order.id}:${seat.row}:${seat.col}`;
      if (seen.has(key)) doublePaid++;
      seen.add(key);
    }
  }
  let soldCountDrift = 0;
  for (const row of counters) soldCountDrift += Math.abs(Number(row.sold) - (seatsOfShowtime.get(Number(row.id)) ?? 0));
  return {
    doubleClaimed: Number(dup?.n ?? 0),
    doublePaid,
    paidSeats: [...seatsOfShowtime.values()].reduce((a, b) => a + b, 0),
    permanentClaims: claims.reduce((a, r) => a + Number(r.n), 0),
    soldCountDrift,
  };
}
