import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from '../../database/columns';
import { Schedule } from '../../schedules/entities/schedule.entity';
import { Order } from './order.entity';

/**
 * A seat's one live claim. The unique key over (schedule, row, col) is what makes a double sale
 * impossible on any number of instances: a hold inserts claims, payment turns them permanent
 * (`expiresAt` NULL), cancel/refund/sweep delete them, and a hold past `expiresAt` is deleted by
 * whoever claims the seat next, so it blocks nothing even before the sweep runs.
 */
@Entity('seat_claims')
@Index('uq_seat_claims_seat', ['scheduleId', 'seatRow', 'seatCol'], { unique: true })
@Index('ix_seat_claims_schedule_user', ['scheduleId', 'userId'])
export class SeatClaim {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  scheduleId!: number;

  @ManyToOne(() => Schedule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id' })
  schedule?: Schedule;

  @Column({ type: 'int' })
  seatRow!: number;

  @Column({ type: 'int' })
  seatCol!: number;

  @Index('ix_seat_claims_order')
  @Column({ type: 'int' })
  orderId!: number;

  @ManyToOne(() => Order, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: Order;

  @Column({ type: 'int' })
  userId!: number;

  /**
   * NULL once paid (sold); otherwise when the hold lapses. Not indexed: every read of claims is by
   * showtime or by order, and each hold and payment would otherwise update one more index.
   */
  @InstantColumn({ nullable: true })
  expiresAt!: Date | null;
}
