import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CentsColumn, CreatedAtColumn, InstantColumn } from '../../database/columns';

export const PAYMENT_STATUSES = ['pending', 'paid', 'closed', 'refunding', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * One attempt to take an order's money (CONTRACT section 12). `orderId` is a plain column, not a
 * foreign key: orders belong to ticketing, above this module, and a record of money taken must
 * outlive whatever happens to its order.
 */
@Entity('payments')
@Index('ix_payments_status_expires', ['status', 'expiresAt'])
// One pending attempt per order, channel and method: `openSlot` is `channel:method` while pending
// and NULL after, and NULLs never collide, on MariaDB as on SQLite. It serves look-ups by order too.
@Index('uq_payments_open_slot', ['orderId', 'openSlot'], { unique: true })
export class Payment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  orderId!: number;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  @Column({ type: 'varchar', length: 8 })
  method!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PaymentStatus;

  @CentsColumn()
  amountCents!: number;

  /** `out_trade_no` at the provider: unique per attempt. */
  @Index('uq_payments_out_trade_no', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  outTradeNo!: string;

  @Column({ type: 'varchar', length: 24, nullable: true })
  openSlot!: string | null;

  /** Alipay `trade_no`, WeChat Pay `transaction_id`: known once paid. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  providerTradeNo!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  qrCode!: string | null;

  /** What the provider's mobile SDK takes (method `app`): a string or an object, as JSON. */
  @Column({ type: 'text', nullable: true })
  appParams!: string | null;

  /** The hold's expiry, also the trade's `time_expire`: past it, the sweep asks the provider. */
  @InstantColumn()
  expiresAt!: Date;

  @InstantColumn({ nullable: true })
  paidAt!: Date | null;

  @InstantColumn({ nullable: true })
  closedAt!: Date | null;

  @InstantColumn({ nullable: true })
  refundedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
