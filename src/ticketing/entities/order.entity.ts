import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CentsColumn, CreatedAtColumn, InstantColumn } from '../../database/columns';
import type { SeatPosition } from '../../halls/entities/hall.entity';
import { Schedule } from '../../schedules/entities/schedule.entity';
import { Voucher } from '../../vouchers/entities/voucher.entity';

/** A seat of an order as it was sold: its zone, ticket type and price when held (orders before zones lack them). */
export interface OrderSeat extends SeatPosition {
  zone?: string;
  ticketType?: string | null;
  priceCents?: number;
}

export type OrderStatus = 'pending' | 'paid' | 'cancelled' | 'expired' | 'refunded';

@Entity('orders')
@Index('ix_orders_user_created', ['userId', 'createdAt'])
@Index('ix_orders_schedule_status', ['scheduleId', 'status'])
@Index('ix_orders_status_expires', ['status', 'expiresAt'])
@Index('ix_orders_voucher_user', ['voucherId', 'userId'])
export class Order {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'int' })
  scheduleId!: number;

  @ManyToOne(() => Schedule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id' })
  schedule?: Schedule;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: OrderStatus;

  @Column({ type: 'simple-json' })
  seats!: OrderSeat[];

  /** The showtime's price when the seats were held: later price changes do not touch this order. */
  @CentsColumn()
  unitPriceCents!: number;

  @CentsColumn()
  amountCents!: number;

  /** What the voucher took off (cents); 0 without one. */
  @CentsColumn({ default: 0 })
  discountCents!: number;

  /** The voucher the order carries: a use of it while the order holds or owns its seats. */
  @Column({ type: 'int', nullable: true })
  voucherId!: number | null;

  @ManyToOne(() => Voucher, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'voucher_id' })
  voucher?: Voucher;

  /** The voucher's code as the order shows it (codes never change). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  voucherCode!: string | null;

  @InstantColumn()
  expiresAt!: Date;

  @InstantColumn({ nullable: true })
  paidAt!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  paymentChannel!: string | null;

  @Index('uq_orders_ticket_code', { unique: true })
  @Column({ type: 'varchar', length: 16, nullable: true })
  ticketCode!: string | null;

  @InstantColumn({ nullable: true })
  checkedInAt!: Date | null;

  @InstantColumn({ nullable: true })
  closedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
