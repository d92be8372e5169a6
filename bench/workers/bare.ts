import { randomInt } from 'node:crypto';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { Buyer, buyUntilSoldOut, BuyingRules, Seat, SeatPool, ShowtimeSpec } from '../lib/seat-pool';
import { Sqlite } from '../lib/untyped';
import { percentile, rng, round, sleep, utcString } from '../lib/util';
import { workerMain } from '../lib/worker';

/**
 * The database's own ceiling for the rush: no HTTP, no ORM, and per order only what the
 * no-double-sale guarantee needs — one transaction inserting the order and its seat claims under
 * the unique key (schedule, row, col), one marking the order paid and its claims permanent.
 */
export interface BareInput {
  kind: 'sqlite' | 'mariadb';
  path?: string;
  url?: string;
  /** Pool size on MariaDB: the app's own (database.options.ts). */
  connectionLimit: number;
  showtimes: ShowtimeSpec[];
  clients: number[][];
  seatsPerOrder: number;
  raceShare: number;
  timeLimitMs: number;
  seed: number;
  holdSeconds: number;
}

export interface BareOutput {
  seatsSold: number;
  ordersPaid: number;
  elapsedSec: number;
  seatsPerSec: number;
  holdP99: number;
  payP99: number;
  conflicts: number;
  deadlockRetries: number;
  failures: number;
  timedOut: boolean;
}

interface Store {
  /** The new order's id, or null when a seat was taken (duplicate key). */
  hold(showtimeId: number, userId: number, seats: Seat[], priceCents: number, now: Date): Promise<number | null>;
  pay(orderId: number, now: Date): Promise<boolean>;
  prices(): Promise<Map<number, number>>;
  close(): Promise<void>;
}

const ticketCode = () => Array.from({ length: 16 }, () => randomInt(10)).join('');
const orderSql = `INSERT INTO orders (user_id, schedule_id, status, seats, unit_price_cents, amount_cents, expires_at, created_at) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)`;
const claimsSql = (n: number) =>
  `INSERT INTO seat_claims (schedule_id, seat_row, seat_col, order_id, user_id, expires_at) VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`;
const paidSql = `UPDATE orders SET status = 'paid', paid_at = ?, payment_channel = 'mock', ticket_code = ? WHERE id = ? AND status = 'pending'`;
const permanentSql = `UPDATE seat_claims SET expires_at = NULL WHERE order_id = ? AND expires_at IS NOT NULL`;

function claimParams(
  showtimeId: number,
  orderId: number,
  userId: number,
  seats: Seat[],
  expiresAt: string,
): (string | number)[] {
  return seats.flatMap((s) => [showtimeId, s.row, s.col, orderId, userId, expiresAt]);
}

function sqliteStore(input: BareInput): Store {
  const db = new Sqlite(input.path!);
  // The app's settings (database.options.ts, sqlite-setup.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  const insertOrder = db.prepare(orderSql);
  const insertClaims = new Map<number, ReturnType<typeof db.prepare>>();
  const markPaid = db.prepare(paidSql);
  const makePermanent = db.prepare(permanentSql);
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  return {
    hold(showtimeId, userId, seats, priceCents, now) {
      const expiresAt = utcString(new Date(now.getTime() + input.holdSeconds * 1000));
      begin.run();
      try {
        const created = utcString(now);
        const orderId = Number(
          insertOrder.run(
            userId,
            showtimeId,
            JSON.stringify(seats),
            priceCents,
            priceCents * seats.length,
            expiresAt,
            created,
          ).lastInsertRowid,
        );
        if (!insertClaims.has(seats.length)) insertClaims.set(seats.length, db.prepare(claimsSql(seats.length)));
        insertClaims.get(seats.length)!.run(...claimParams(showtimeId, orderId, userId, seats, expiresAt));
        commit.run();
        return Promise.resolve(orderId);
      } catch (error) {
        rollback.run();
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return Promise.resolve(null);
        throw error;
      }
    },
    pay(orderId, now) {
      begin.run();
      try {
        const paid = markPaid.run(utcString(now), ticketCode(), orderId).changes === 1;
        if (paid) makePermanent.run(orderId);
        commit.run();
        return Promise.resolve(paid);
      } catch (error) {
        rollback.run();
        throw error;
      }
    },
    prices() {
      const rows = db.prepare('SELECT id, price_cents AS price FROM schedules').all() as {
        id: number;
        price: number;
      }[];
      return Promise.resolve(new Map(rows.map((r) => [Number(r.id), Number(r.price)])));
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

async function mariadbStore(input: BareInput, onDeadlock: () => void): Promise<Store> {
  const { createPool } = await import('mysql2/promise');
  const pool: Pool = createPool({
    uri: input.url!,
    connectionLimit: input.connectionLimit,
    timezone: 'Z',
    waitForConnections: true,
  });
  // The app's isolation level (transaction-runner.ts).
  pool.pool.on('connection', (c: { query: (sql: string) => void }) => {
    c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  });
  const transaction = async <T>(work: (c: PoolConnection) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const c = await pool.getConnection();
      try {
        await c.query('START TRANSACTION');
        const result = await work(c);
        await c.query('COMMIT');
        return result;
      } catch (error) {
        await c.query('ROLLBACK');
        const code = (error as { code?: string }).code;
        if ((code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT') && attempt < 5) {
          onDeadlock();
          await sleep(5 + Math.random() * 20 * attempt);
          continue;
        }
        throw error;
      } finally {
        c.release();
      }
    }
  };
  return {
    async hold(showtimeId, userId, seats, priceCents, now) {
      const expiresAt = utcString(new Date(now.getTime() + input.holdSeconds * 1000));
      try {
        return await transaction(async (c) => {
          const params = [
            userId,
            showtimeId,
            JSON.stringify(seats),
            priceCents,
            priceCents * seats.length,
            expiresAt,
            utcString(now),
          ];
          const [created] = await c.query<ResultSetHeader>(orderSql, params);
          await c.query(claimsSql(seats.length), claimParams(showtimeId, created.insertId, userId, seats, expiresAt));
          return created.insertId;
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'ER_DUP_ENTRY') return null;
        throw error;
      }
    },
    pay(orderId, now) {
      return transaction(async (c) => {
        const [paid] = await c.query<ResultSetHeader>(paidSql, [utcString(now), ticketCode(), orderId]);
        if (paid.affectedRows !== 1) return false;
        await c.query(permanentSql, [orderId]);
        return true;
      });
    },
    async prices() {
      const [rows] = await pool.query('SELECT id, price_cents AS price FROM schedules');
      return new Map((rows as { id: number; price: number }[]).map((r) => [Number(r.id), Number(r.price)]));
    },
    close: () => pool.end(),
  };
}

async function bare(input: BareInput): Promise<BareOutput> {
  let deadlockRetries = 0;
  const store = input.kind === 'sqlite' ? sqliteStore(input) : await mariadbStore(input, () => deadlockRetries++);
  const prices = await store.prices();
  const pool = new SeatPool(input.showtimes);
  const random = rng(input.seed);
  const holdMs: number[] = [];
  const payMs: number[] = [];
  let seatsSold = 0;
  let ordersPaid = 0;
  let conflicts = 0;
  let failures = 0;
  let timedOut = false;
  const started = performance.now();
  const deadline = started + input.timeLimitMs;
  const rules: BuyingRules = {
    pool,
    seatsPerOrder: input.seatsPerOrder,
    raceShare: input.raceShare,
    random,
    deadline,
    maxAttempts: 5000,
    stop: () => failures >= 100,
  };
  const client = async (userIds: number[]) => {
    const buyer = new Buyer(userIds);
    const ranOut = await buyUntilSoldOut(rules, buyer, async ({ showtimeId, seats, userIndex }) => {
      pool.reserve(showtimeId, seats);
      let t = performance.now();
      let orderId: number | null;
      try {
        orderId = await store.hold(showtimeId, userIds[userIndex], seats, prices.get(showtimeId) ?? 0, new Date());
      } catch {
        failures++;
        pool.release(showtimeId, seats);
        pool.take(showtimeId, seats);
        return;
      }
      pool.release(showtimeId, seats);
      holdMs.push(performance.now() - t);
      if (orderId === null) {
        conflicts++;
        return;
      }
      pool.take(showtimeId, seats);
      buyer.add(showtimeId, userIndex, seats.length);
      t = performance.now();
      const paid = await store.pay(orderId, new Date()).catch(() => false);
      payMs.push(performance.now() - t);
      if (paid) {
        seatsSold += seats.length;
        ordersPaid++;
      } else {
        failures++;
      }
      // SQLite answers synchronously: let the other clients take their turn, as they would over a network.
      if (input.kind === 'sqlite') await new Promise((resolve) => setImmediate(resolve));
    });
    if (ranOut) timedOut = true;
  };
  await Promise.all(input.clients.map((ids) => client(ids)));
  const elapsedSec = (performance.now() - started) / 1000;
  await store.close();
  return {
    seatsSold,
    ordersPaid,
    elapsedSec: round(elapsedSec, 2),
    seatsPerSec: round(seatsSold / elapsedSec, 1),
    holdP99: round(percentile(holdMs, 99), 2),
    payP99: round(percentile(payMs, 99), 2),
    conflicts,
    deadlockRetries,
    failures,
    timedOut,
  };
}

workerMain(bare);
