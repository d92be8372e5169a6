import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from '../../database/columns';

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

@Entity('merchant_applications')
@Index('ix_applications_status', ['status', 'createdAt'])
export class MerchantApplication {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index('ix_applications_user')
  @Column({ type: 'int' })
  userId!: number;

  /**
   * The applicant's id while pending, NULL once reviewed: a unique index over it lets the database
   * refuse a second pending application even when two arrive at once.
   */
  @Index('uq_applications_pending_user', { unique: true })
  @Column({ type: 'int', nullable: true })
  pendingUserId!: number | null;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: ApplicationStatus;

  @Column({ type: 'varchar', length: 100 })
  cinemaName!: string;

  @Column({ type: 'varchar', length: 50 })
  city!: string;

  @Column({ type: 'varchar', length: 200 })
  address!: string;

  @Column({ type: 'varchar', length: 50 })
  legalPerson!: string;

  @Column({ type: 'varchar', length: 50 })
  contactName!: string;

  @Column({ type: 'varchar', length: 20 })
  contactPhone!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  website!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  taxCertificateUrl!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  rejectReason!: string | null;

  @Column({ type: 'int', nullable: true })
  cinemaId!: number | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @InstantColumn({ nullable: true })
  reviewedAt!: Date | null;
}
