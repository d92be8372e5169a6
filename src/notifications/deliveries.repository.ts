import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { instantOf, selectRows } from '../database/raw-sql';
import { readStatement, writeStatement } from '../database/statement';
import type { Transaction } from '../database/transaction';
import type { EventType } from '../outbox/outbox.service';
import type { DeliveryChannel, DeliveryStatus } from './entities/delivery.entity';
import type { AfterAttempt, AttemptOutcome } from './retry-schedule';

export interface NewDelivery {
  eventRowId: number;
  channel: DeliveryChannel;
  endpointId: number | null;
  recipient: string | null;
}

/** A delivery with its event, as the log shows it and an attempt needs it. */
export interface DeliveryRecord {
  id: number;
  channel: DeliveryChannel;
  endpointId: number | null;
  recipient: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  claimToken: string | null;
  eventId: string;
  eventType: EventType;
  body: string;
}

interface DeliveryRow {
  id: number | string;
  channel: DeliveryChannel;
  endpoint_id: number | string | null;
  recipient: string | null;
  status: DeliveryStatus;
  attempts: number | string;
  last_status_code: number | string | null;
  last_error: string | null;
  next_attempt_at: unknown;
  delivered_at: unknown;
  created_at: unknown;
  claim_token: string | null;
  event_id: string;
  type: EventType;
  body: string;
}

const SELECT = `SELECT d.id, d.channel, d.endpoint_id, d.recipient, d.status, d.attempts, d.last_status_code,
       d.last_error, d.next_attempt_at, d.delivered_at, d.created_at, d.claim_token, e.event_id, e.type, e.body
  FROM notification_deliveries d
  INNER JOIN outbox_events e ON e.id = d.event_row_id`;

/** Every statement on `notification_deliveries`. */
@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(tx: Transaction, deliveries: NewDelivery[], now: Date): Promise<void> {
    if (!deliveries.length) return;
    const params: Record<string, unknown> = { now };
    const rows = deliveries.map((delivery, i) => {
      params[`event${i}`] = delivery.eventRowId;
      params[`channel${i}`] = delivery.channel;
      params[`endpoint${i}`] = delivery.endpointId;
      params[`recipient${i}`] = delivery.recipient;
      return `(:event${i}, :channel${i}, :endpoint${i}, :recipient${i}, 'pending', 0, :now, :now)`;
    });
    const sql = `INSERT INTO notification_deliveries
                   (event_row_id, channel, endpoint_id, recipient, status, attempts, next_attempt_at, created_at)
                 VALUES ${rows.join(', ')}`;
    await tx.send(writeStatement(sql, params));
  }

  /** A cheap look before opening a transaction: is anything due? (An idle instance then writes nothing.) */
  async anyDue(now: Date): Promise<boolean> {
    const sql = `SELECT 1 AS one FROM notification_deliveries WHERE status = 'pending' AND next_attempt_at <= :now LIMIT 1`;
    return (await selectRows(this.dataSource.manager, sql, { now })).length > 0;
  }

  /**
   * The oldest due deliveries, locked until `tx` ends; other instances skip them (SKIP LOCKED on
   * MariaDB: across Galera nodes the claim's write conflicts at certification instead, and the loser
   * claims again). SQLite has one writer.
   */
  due(tx: Transaction, now: Date, limit: number): Promise<{ id: number; attempts: number }[]> {
    const lock = tx.isMysql ? ' FOR UPDATE SKIP LOCKED' : '';
    const sql = `SELECT id, attempts FROM notification_deliveries
                  WHERE status = 'pending' AND next_attempt_at <= :now
                  ORDER BY next_attempt_at, id LIMIT ${Math.trunc(limit)}${lock}`;
    return tx.send(
      readStatement<{ id: unknown; attempts: unknown }, { id: number; attempts: number }[]>(sql, { now }, (rows) =>
        rows.map((row) => ({ id: Number(row.id), attempts: Number(row.attempts) })),
      ),
    );
  }

  /** One more attempt, claimed under `token` until `until`: counted now, so an attempt cut off still counts. */
  async claim(tx: Transaction, ids: number[], token: string, until: Date): Promise<void> {
    if (!ids.length) return;
    const sql = `UPDATE notification_deliveries SET attempts = attempts + 1, next_attempt_at = :until, claim_token = :token
                  WHERE id IN (:...ids)`;
    await tx.send(writeStatement(sql, { ids, token, until }));
  }

  /** Deliveries whose last attempt was claimed and never answered: the schedule is used up. */
  async failCutOff(tx: Transaction, ids: number[]): Promise<void> {
    if (!ids.length) return;
    const sql = `UPDATE notification_deliveries
                    SET status = 'failed', next_attempt_at = NULL, claim_token = NULL,
                        last_error = 'the last attempt was cut off before it was answered'
                  WHERE id IN (:...ids)`;
    await tx.send(writeStatement(sql, { ids }));
  }

  /** The deliveries claimed under `token`, with their events. */
  async claimed(ids: number[], token: string): Promise<DeliveryRecord[]> {
    if (!ids.length) return [];
    const rows = await selectRows<DeliveryRow>(
      this.dataSource.manager,
      `${SELECT} WHERE d.id IN (:...ids) AND d.claim_token = :token`,
      { ids, token },
    );
    return rows.map(toRecord);
  }

  /** Records an attempt's outcome, unless its claim ran out and another attempt took over. */
  async finish(
    tx: Transaction,
    id: number,
    token: string,
    outcome: AttemptOutcome,
    after: AfterAttempt,
  ): Promise<boolean> {
    const sql = `UPDATE notification_deliveries
                    SET status = :status, last_status_code = :statusCode, last_error = :error,
                        next_attempt_at = :nextAttemptAt, delivered_at = COALESCE(:deliveredAt, delivered_at),
                        claim_token = NULL
                  WHERE id = :id AND claim_token = :token`;
    const result = await tx.send(
      writeStatement(sql, {
        id,
        token,
        status: after.status,
        statusCode: outcome.statusCode,
        error: outcome.error?.slice(0, 255) ?? null,
        nextAttemptAt: after.nextAttemptAt,
        deliveredAt: after.deliveredAt,
      }),
    );
    return result.affected > 0;
  }

  /** One delivery of an endpoint, locked until `tx` ends (a manual retry). */
  lockOne(tx: Transaction, endpointId: number, id: number): Promise<DeliveryRecord | null> {
    const lock = tx.isMysql ? ' FOR UPDATE' : '';
    return tx.send(
      readStatement<DeliveryRow, DeliveryRecord | null>(
        `${SELECT} WHERE d.id = :id AND d.endpoint_id = :endpointId${lock}`,
        { id, endpointId },
        (rows) => (rows[0] ? toRecord(rows[0]) : null),
      ),
    );
  }

  /**
   * An endpoint switched off gets nothing more: what was still to be sent is failed, and says why.
   * The claims go too, so that an attempt under way cannot bring its delivery back to pending.
   */
  async failPendingOf(tx: Transaction, endpointId: number, error: string): Promise<void> {
    const sql = `UPDATE notification_deliveries
                    SET status = 'failed', next_attempt_at = NULL, claim_token = NULL, last_error = :error
                  WHERE endpoint_id = :endpointId AND status = 'pending'`;
    await tx.send(writeStatement(sql, { endpointId, error }));
  }

  /** An endpoint's log, newest first. */
  async page(
    endpointId: number,
    status: DeliveryStatus | undefined,
    window: { skip: number; take: number },
  ): Promise<[DeliveryRecord[], number]> {
    const where = `d.endpoint_id = :endpointId${status ? ' AND d.status = :status' : ''}`;
    const params = { endpointId, status };
    const [rows, [count]] = await Promise.all([
      selectRows<DeliveryRow>(
        this.dataSource.manager,
        `${SELECT} WHERE ${where} ORDER BY d.id DESC LIMIT ${Math.trunc(window.take)} OFFSET ${Math.trunc(window.skip)}`,
        params,
      ),
      selectRows<{ total: unknown }>(
        this.dataSource.manager,
        `SELECT COUNT(*) AS total FROM notification_deliveries d WHERE ${where}`,
        params,
      ),
    ]);
    return [rows.map(toRecord), Number(count?.total ?? 0)];
  }

  async byIds(ids: number[]): Promise<DeliveryRecord[]> {
    if (!ids.length) return [];
    const rows = await selectRows<DeliveryRow>(
      this.dataSource.manager,
      `${SELECT} WHERE d.id IN (:...ids) ORDER BY d.id`,
      {
        ids,
      },
    );
    return rows.map(toRecord);
  }
}

function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    id: Number(row.id),
    channel: row.channel,
    endpointId: row.endpoint_id === null ? null : Number(row.endpoint_id),
    recipient: row.recipient,
    status: row.status,
    attempts: Number(row.attempts),
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    nextAttemptAt: instantOf(row.next_attempt_at),
    deliveredAt: instantOf(row.delivered_at),
    createdAt: instantOf(row.created_at)!,
    claimToken: row.claim_token,
    eventId: row.event_id,
    eventType: row.type,
    body: row.body,
  };
}
