import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CentsColumn, CreatedAtColumn, InstantColumn } from '../../database/columns';
import type { SeatPosition } from '../../halls/entities/hall.entity';
import { Schedule } from '../../schedules/entities/schedule.entity';

export type OrderStatus = 'pending' | 'paid' | 'cancelled' | 'expired' | 'refunded';

@Entity('orders')
@Index('ix_orders_user_created', ['userId', 'createdAt'])
@Index('ix_orders_schedule_status', ['scheduleId', 'status'])
@Index('ix_orders_status_expires', ['status', 'expiresAt'])
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
  seats!: SeatPosition[];

  /** The showtime's price when the seats were held: later price changes do not touch this order. */
  @CentsColumn()
  unitPriceCents!: number;

  @CentsColumn()
  amountCents!: number;

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
