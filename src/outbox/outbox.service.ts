import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { instantOf, selectRows } from '../database/raw-sql';
import { readStatement, writeStatement } from '../database/statement';
import type { Transaction } from '../database/transaction';

export const EVENT_TYPES = [
  'order.paid',
  'order.refunded',
  'order.cancelled',
  'order.expired',
  'ticket.checked_in',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What a change reports: `data` is the order object of the API as the change left it. */
export interface NewEvent {
  type: EventType;
  cinemaId: number;
  userId: number;
  orderId: number;
  data: unknown;
}

export interface RecordedEvent {
  id: number;
  eventId: string;
  type: EventType;
  cinemaId: number;
  userId: number;
  orderId: number;
  body: string;
  createdAt: Date;
}

interface EventRow {
  id: number | string;
  event_id: string;
  type: EventType;
  cinema_id: number | string;
  user_id: number | string;
  order_id: number | string;
  body: string;
  created_at: unknown;
}

const COLUMNS = 'id, event_id, type, cinema_id, user_id, order_id, body, created_at';

/**
 * The transactional outbox (CONTRACT section 14). The sale path records an event with the change it
 * reports, in the same transaction; notifications take events from here after the commit. This
 * module owns `outbox_events` and knows nothing of who is told.
 */
@Injectable()
export class OutboxService {
  private readonly listeners = new Set<() => void>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Sent with the caller's next round trip; this instance's listeners hear of it once it commits. */
  async record(tx: Transaction, events: NewEvent[]): Promise<void> {
    if (!events.length) return;
    const now = tx.startedAt;
    const params: Record<string, unknown> = { now };
    const rows = events.map((event, i) => {
      Object.assign(params, {
        [`eventId${i}`]: newEventId(),
        [`type${i}`]: event.type,
        [`cinemaId${i}`]: event.cinemaId,
        [`userId${i}`]: event.userId,
        [`orderId${i}`]: event.orderId,
        [`body${i}`]: JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data }),
      });
      return `(:eventId${i}, :type${i}, :cinemaId${i}, :userId${i}, :orderId${i}, :body${i}, :now)`;
    });
    tx.afterCommit(() => this.listeners.forEach((listener) => listener()));
    await tx.send(
      writeStatement(
        `INSERT INTO outbox_events (event_id, type, cinema_id, user_id, order_id, body, created_at) VALUES ${rows.join(', ')}`,
        params,
      ),
    );
  }

  /** Called after each commit that recorded events here, so that they go out without waiting for a poll. */
  onRecorded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A cheap look before opening a transaction: is anything waiting to be routed? */
  async anyUnrouted(): Promise<boolean> {
    const rows = await selectRows(
      this.dataSource.manager,
      'SELECT 1 AS one FROM outbox_events WHERE routed_at IS NULL LIMIT 1',
      {},
    );
    return rows.length > 0;
  }

  /**
   * The oldest unrouted events, locked until `tx` ends. Other instances skip them (SKIP LOCKED) and
   * take the next ones, so each event is routed by one instance; SQLite has one writer anyway.
   */
  takeUnrouted(tx: Transaction, limit: number): Promise<RecordedEvent[]> {
    const lock = tx.isMysql ? ' FOR UPDATE SKIP LOCKED' : '';
    const sql = `SELECT ${COLUMNS} FROM outbox_events WHERE routed_at IS NULL ORDER BY id LIMIT ${Number(limit)}${lock}`;
    return tx.send(readStatement<EventRow, RecordedEvent[]>(sql, {}, (rows) => rows.map(toEvent)));
  }

  async markRouted(tx: Transaction, ids: number[], now: Date): Promise<void> {
    if (!ids.length) return;
    await tx.send(writeStatement('UPDATE outbox_events SET routed_at = :now WHERE id IN (:...ids)', { ids, now }));
  }
}

/** `evt_` and 24 hex digits: random, so that instances and databases never need to agree on one. */
function newEventId(): string {
  return `evt_${randomBytes(12).toString('hex')}`;
}

function toEvent(row: EventRow): RecordedEvent {
  return {
    id: Number(row.id),
    eventId: row.event_id,
    type: row.type,
    cinemaId: Number(row.cinema_id),
    userId: Number(row.user_id),
    orderId: Number(row.order_id),
    body: row.body,
    createdAt: instantOf(row.created_at)!,
  };
}
