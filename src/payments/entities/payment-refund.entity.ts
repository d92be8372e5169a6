import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CentsColumn, CreatedAtColumn, InstantColumn } from '../../database/columns';
import { Payment } from './payment.entity';

/** `pending`: asked for (or to be asked); `processing`: accepted, money not moved yet; `refused`: needs a person. */
export type RefundStatus = 'pending' | 'processing' | 'succeeded' | 'refused';

/** A full refund of one payment, asked of its provider under a number that never changes (a retry never refunds twice). */
@Entity('payment_refunds')
export class PaymentRefund {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('uq_payment_refunds_payment', { unique: true })
  @Column({ type: 'int' })
  paymentId!: number;

  @ManyToOne(() => Payment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payment_id' })
  payment?: Payment;

  /** `out_request_no` (Alipay), `out_refund_no` (WeChat Pay). */
  @Index('uq_payment_refunds_refund_no', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  refundNo!: string;

  @CentsColumn()
  amountCents!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: RefundStatus;

  /** Why it was asked (`customer`, `late payment`, `paid twice`), or why the provider refused. */
  @Column({ type: 'varchar', length: 255 })
  reason!: string;

  @InstantColumn({ nullable: true })
  refundedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
