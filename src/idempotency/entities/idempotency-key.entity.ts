import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from '../../database/columns';

export type IdempotencyState = 'running' | 'done';

/**
 * One row per (user, key): inserting it is how the first request claims the key, so racing retries
 * on any number of instances find it taken and never do the work twice.
 */
@Entity('idempotency_keys')
@Index('uq_idempotency_user_key', ['userId', 'idemKey'], { unique: true })
export class IdempotencyKey {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 64 })
  idemKey!: string;

  /** sha256 of method, path and canonical body: a different request under the same key is refused. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ type: 'varchar', length: 8, default: 'running' })
  state!: IdempotencyState;

  @Column({ type: 'int', nullable: true })
  responseStatus!: number | null;

  @Column({ type: 'text', nullable: true })
  responseBody!: string | null;

  @Index('ix_idempotency_expires_at')
  @InstantColumn()
  expiresAt!: Date;

  @CreatedAtColumn()
  createdAt!: Date;
}
