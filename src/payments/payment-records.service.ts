import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { instantOf, runStatement } from '../database/raw-sql';
import { readStatement, writeStatement } from '../database/statement';
import type { Transaction } from '../database/transaction';
import type { PaymentMethod } from '../config/payment-settings';
import type { PaymentStatus } from './entities/payment.entity';
import type { RefundStatus } from './entities/payment-refund.entity';

export type { RefundStatus };

/** A payment attempt as the services above read it. */
export interface PaymentRecord {
  id: number;
  orderId: number;
  channel: string;
  method: PaymentMethod;
  status: PaymentStatus;
  amountCents: number;
  outTradeNo: string;
  providerTradeNo: string | null;
  qrCode: string | null;
  appParams: unknown;
  expiresAt: Date;
  createdAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
  refundedAt: Date | null;
}

export interface RefundRecord {
  id: number;
  paymentId: number;
  refundNo: string;
  amountCents: number;
  status: RefundStatus;
  reason: string;
}

export interface NewAttempt {
  orderId: number;
  channel: string;
  method: PaymentMethod;
  /** pending (open at the provider) or paid (mock: taken at once) */
  status: 'pending' | 'paid';
  amountCents: number;
  outTradeNo: string;
  qrCode?: string | null;
  appParams?: unknown;
  expiresAt: Date;
  now: Date;
}

const COLUMNS = `id, order_id, channel, method, status, amount_cents, out_trade_no, provider_trade_no, qr_code,
       app_params, expires_at, created_at, paid_at, closed_at, refunded_at`;

interface PaymentRow {
  id: unknown;
  order_id: unknown;
  channel: unknown;
  method: unknown;
  status: unknown;
  amount_cents: unknown;
  out_trade_no: unknown;
  provider_trade_no: unknown;
  qr_code: unknown;
  app_params: unknown;
  expires_at: unknown;
  created_at: unknown;
  paid_at: unknown;
  closed_at: unknown;
  refunded_at: unknown;
}

/**
 * The payments and payment_refunds tables. Every change is a conditional UPDATE inside the caller's
 * transaction (the sale path's), so that a payment and its order change together and racing
 * notifications, sweeps and cancels each win or lose in the database.
 */
@Injectable()
export class PaymentRecordsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `out_trade_no`: letters and digits only, 32 at most (both providers' limit), unique per attempt. */
  static newOutTradeNo(orderId: number): string {
    return `T${orderId}X${randomBytes(8).toString('hex')}`.slice(0, 32);
  }

  /** A duplicate key on uq_payments_open_slot means a racing request opened the same channel and method first. */
  async insert(tx: Transaction, attempt: NewAttempt): Promise<number> {
    const sql = `INSERT INTO payments (order_id, channel, method, status, amount_cents, out_trade_no, open_slot,
                   qr_code, app_params, expires_at, paid_at, created_at)
                 VALUES (:orderId, :channel, :method, :status, :amountCents, :outTradeNo, :openSlot,
                   :qrCode, :appParams, :expiresAt, :paidAt, :now)`;
    const { insertId } = await tx.send(
      writeStatement(sql, {
        ...attempt,
        openSlot: attempt.status === 'pending' ? `${attempt.channel}:${attempt.method}` : null,
        qrCode: attempt.qrCode ?? null,
        appParams: attempt.appParams === undefined ? null : JSON.stringify(attempt.appParams),
        paidAt: attempt.status === 'paid' ? attempt.now : null,
      }),
    );
    return insertId;
  }

  /** Deletes attempts recorded earlier in `tx` that turned out not to happen (a mock whose order could not be paid). */
  async discard(tx: Transaction, ids: number[]): Promise<void> {
    if (!ids.length) return;
    await tx.send(writeStatement('DELETE FROM payments WHERE id IN (:...ids)', { ids }));
  }

  /** The pending attempt of this channel and method, if the order has one. */
  findOpen(orderId: number, channel: string, method: PaymentMethod): Promise<PaymentRecord | null> {
    return this.one(`order_id = :orderId AND open_slot = :slot`, { orderId, slot: `${channel}:${method}` });
  }

  findByOutTradeNo(outTradeNo: string): Promise<PaymentRecord | null> {
    return this.one('out_trade_no = :outTradeNo', { outTradeNo });
  }

  /** Every attempt of the order, oldest first. */
  ofOrder(orderId: number, tx?: Transaction): Promise<PaymentRecord[]> {
    return this.many(`order_id = :orderId ORDER BY id`, { orderId }, tx);
  }

  /** The orders' attempts still open at a provider, in the caller's transaction. */
  openOf(tx: Transaction, orderIds: number[]): Promise<PaymentRecord[]> {
    return this.many(`order_id IN (:...orderIds) AND status = 'pending'`, { orderIds }, tx);
  }

  /** Each order's latest attempt (the one opened last), for order lists; in `tx` when given. */
  async latestOf(orderIds: number[], tx?: Transaction): Promise<Map<number, PaymentRecord>> {
    if (!orderIds.length) return new Map();
    const rows = await this.many(
      `id IN (SELECT MAX(id) FROM payments WHERE order_id IN (:...orderIds) GROUP BY order_id)`,
      { orderIds },
      tx,
    );
    return new Map(rows.map((payment) => [payment.orderId, payment]));
  }

  /** Pending attempts past their hold: the sweep asks their provider about each. */
  findLapsedPending(now: Date, limit: number): Promise<PaymentRecord[]> {
    return this.many(`status = 'pending' AND expires_at <= :now ORDER BY id LIMIT ${Math.trunc(limit)}`, { now });
  }

  /** Refunds not yet confirmed, with their payments: the sweep asks again. */
  async findUnconfirmedRefunds(limit: number): Promise<{ refund: RefundRecord; payment: PaymentRecord }[]> {
    const refunds = await runStatement(
      this.dataSource.manager,
      readStatement<RefundRow, RefundRecord[]>(
        `SELECT id, payment_id, refund_no, amount_cents, status, reason FROM payment_refunds
          WHERE status IN ('pending', 'processing') ORDER BY id LIMIT ${Math.trunc(limit)}`,
        {},
        (rows) => rows.map(toRefund),
      ),
    );
    if (!refunds.length) return [];
    const payments = await this.many('id IN (:...ids)', { ids: refunds.map((refund) => refund.paymentId) });
    const byId = new Map(payments.map((payment) => [payment.id, payment]));
    return refunds.map((refund) => ({ refund, payment: byId.get(refund.paymentId)! }));
  }

  refundOf(paymentId: number): Promise<RefundRecord | null> {
    return this.oneRefund('payment_id = :paymentId', { paymentId });
  }

  refundByNumber(refundNo: string): Promise<RefundRecord | null> {
    return this.oneRefund('refund_no = :refundNo', { refundNo });
  }

  private oneRefund(where: string, params: Record<string, unknown>): Promise<RefundRecord | null> {
    return runStatement(
      this.dataSource.manager,
      readStatement<RefundRow, RefundRecord | null>(
        `SELECT id, payment_id, refund_no, amount_cents, status, reason FROM payment_refunds WHERE ${where}`,
        params,
        (rows) => (rows.length ? toRefund(rows[0]) : null),
      ),
    );
  }

  /**
   * pending or closed → paid: a trade closed here may still have been paid at the provider (a QR code
   * scanned before the close reached it). False: another notification, query or instance got there first.
   */
  async markPaid(tx: Transaction, id: number, providerTradeNo: string | null, now: Date): Promise<boolean> {
    const sql = `UPDATE payments SET status = 'paid', open_slot = NULL, provider_trade_no = :providerTradeNo, paid_at = :now
                  WHERE id = :id AND status IN ('pending', 'closed')`;
    return (await tx.send(writeStatement(sql, { id, providerTradeNo, now }))).affected > 0;
  }

  /** pending → closed, once the provider has closed the trade (or never had it). */
  async markClosed(tx: Transaction, id: number, now: Date): Promise<boolean> {
    const sql = `UPDATE payments SET status = 'closed', open_slot = NULL, closed_at = :now WHERE id = :id AND status = 'pending'`;
    return (await tx.send(writeStatement(sql, { id, now }))).affected > 0;
  }

  /**
   * paid → refunding (or refunded, when the provider already confirmed the money moved), with the
   * refund's record under its fixed number. False: it was not paid (already refunding, say).
   */
  async recordRefund(
    tx: Transaction,
    payment: { id: number; outTradeNo: string; amountCents: number },
    refund: { status: RefundStatus; reason: string },
    now: Date,
  ): Promise<boolean> {
    const done = refund.status === 'succeeded';
    const marked = await tx.send(
      writeStatement(
        `UPDATE payments SET status = :status, refunded_at = :refundedAt WHERE id = :id AND status = 'paid'`,
        { id: payment.id, status: done ? 'refunded' : 'refunding', refundedAt: done ? now : null },
      ),
    );
    if (!marked.affected) return false;
    await tx.send(
      writeStatement(
        `INSERT INTO payment_refunds (payment_id, refund_no, amount_cents, status, reason, refunded_at, created_at)
         VALUES (:paymentId, :refundNo, :amountCents, :status, :reason, :refundedAt, :now)`,
        {
          paymentId: payment.id,
          refundNo: refundNumber(payment.outTradeNo),
          amountCents: payment.amountCents,
          status: refund.status,
          reason: refund.reason.slice(0, 255),
          refundedAt: done ? now : null,
          now,
        },
      ),
    );
    return true;
  }

  /** What the provider answered about a refund: succeeded also turns its payment refunded. */
  async updateRefund(
    tx: Transaction,
    refundId: number,
    status: RefundStatus,
    now: Date,
    reason?: string,
  ): Promise<void> {
    const sets = reason === undefined ? '' : ', reason = :reason';
    const changed = await tx.send(
      writeStatement(
        `UPDATE payment_refunds SET status = :status, refunded_at = :refundedAt${sets}
          WHERE id = :refundId AND status IN ('pending', 'processing')`,
        { refundId, status, refundedAt: status === 'succeeded' ? now : null, reason: reason?.slice(0, 255) },
      ),
    );
    if (!changed.affected || status !== 'succeeded') return;
    await tx.send(
      writeStatement(
        `UPDATE payments SET status = 'refunded', refunded_at = :now
          WHERE id = (SELECT payment_id FROM payment_refunds WHERE id = :refundId) AND status = 'refunding'`,
        { refundId, now },
      ),
    );
  }

  private async one(where: string, params: Record<string, unknown>): Promise<PaymentRecord | null> {
    const [payment] = await this.many(where, params);
    return payment ?? null;
  }

  private many(where: string, params: Record<string, unknown>, tx?: Transaction): Promise<PaymentRecord[]> {
    const statement = readStatement<PaymentRow, PaymentRecord[]>(
      `SELECT ${COLUMNS} FROM payments WHERE ${where}`,
      params,
      (rows) => rows.map(toPayment),
    );
    return tx ? tx.send(statement) : runStatement(this.dataSource.manager, statement);
  }
}

/** Fixed per payment, hence per order (an order keeps one paid payment): asking again never refunds twice. */
export function refundNumber(outTradeNo: string): string {
  return `R${outTradeNo}`;
}

interface RefundRow {
  id: unknown;
  payment_id: unknown;
  refund_no: unknown;
  amount_cents: unknown;
  status: unknown;
  reason: unknown;
}

function toRefund(row: RefundRow): RefundRecord {
  return {
    id: Number(row.id),
    paymentId: Number(row.payment_id),
    refundNo: String(row.refund_no),
    amountCents: Number(row.amount_cents),
    status: String(row.status) as RefundStatus,
    reason: String(row.reason),
  };
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function toPayment(row: PaymentRow): PaymentRecord {
  return {
    id: Number(row.id),
    orderId: Number(row.order_id),
    channel: String(row.channel),
    method: String(row.method) as PaymentMethod,
    status: String(row.status) as PaymentStatus,
    amountCents: Number(row.amount_cents),
    outTradeNo: String(row.out_trade_no),
    providerTradeNo: textOrNull(row.provider_trade_no),
    qrCode: textOrNull(row.qr_code),
    appParams: row.app_params === null ? null : (JSON.parse(textOrNull(row.app_params) ?? 'null') as unknown),
    expiresAt: instantOf(row.expires_at)!,
    createdAt: instantOf(row.created_at)!,
    paidAt: instantOf(row.paid_at),
    closedAt: instantOf(row.closed_at),
    refundedAt: instantOf(row.refunded_at),
  };
}
