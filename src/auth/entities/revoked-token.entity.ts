import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../database/columns';

/** Logged-out tokens, kept until they would have expired anyway. */
@Entity('revoked_tokens')
export class RevokedToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  tokenId!: string;

  @Column({ type: 'int' })
  userId!: number;

  @Index('ix_revoked_tokens_expires_at')
  @InstantColumn()
  expiresAt!: Date;
}
