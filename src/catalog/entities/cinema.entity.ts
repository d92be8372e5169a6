import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../database/columns';

export type CinemaStatus = 'active' | 'suspended' | 'expired';

@Entity('cinemas')
export class Cinema {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Index('ix_cinemas_city')
  @Column({ type: 'varchar', length: 50 })
  city!: string;

  @Column({ type: 'varchar', length: 200 })
  address!: string;

  @Index('ix_cinemas_owner')
  @Column({ type: 'int', nullable: true })
  ownerId!: number | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: CinemaStatus;

  @Column({ type: 'varchar', length: 255, nullable: true })
  logoUrl!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  tel!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  website!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  contactName!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  contactPhone!: string | null;

  /** Refuse a hold that would leave one empty seat between taken ones in a row (CONTRACT section 13). */
  @Column({ type: 'boolean', default: false })
  noSingleSeatGap!: boolean;

  /** Where the platform settles the cinema's takings (bank or wallet account); owner and admin only. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  paymentAccount!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
