import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from '../../database/columns';

export type CodePurpose = 'register' | 'login' | 'reset';

@Entity('verification_codes')
@Index('ix_codes_target_purpose', ['target', 'purpose', 'createdAt'])
export class VerificationCode {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Phone number, or lower-cased email. */
  @Column({ type: 'varchar', length: 254 })
  target!: string;

  @Column({ type: 'varchar', length: 16 })
  purpose!: CodePurpose;

  @Column({ type: 'varchar', length: 64 })
  codeHash!: string;

  @InstantColumn()
  expiresAt!: Date;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'boolean', default: false })
  used!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}
