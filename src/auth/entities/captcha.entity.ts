import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../../database/columns';

/** Kept in the database so that any app instance can check an answer another one issued. */
@Entity('captchas')
export class Captcha {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** sha256 of the lower-cased answer. */
  @Column({ type: 'varchar', length: 64 })
  answerHash!: string;

  @Index('ix_captchas_expires_at')
  @InstantColumn()
  expiresAt!: Date;

  @Column({ type: 'int', default: 0 })
  verifyCount!: number;

  @Column({ type: 'boolean', default: false })
  used!: boolean;
}
