import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../../common/decorators/auth.decorators';
import { CreatedAtColumn } from '../../database/columns';

export type Gender = 'male' | 'female' | 'unknown';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 20 })
  name!: string;

  /** Lower-cased name: names are unique regardless of case, the same way on both databases. */
  @Index('uq_users_name_key', { unique: true })
  @Column({ type: 'varchar', length: 20 })
  nameKey!: string;

  @Index('uq_users_phone', { unique: true })
  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;

  /** Stored lower-cased. */
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  nickname!: string | null;

  @Column({ type: 'varchar', length: 8, default: 'unknown' })
  gender!: Gender;

  @Index('ix_users_role')
  @Column({ type: 'varchar', length: 16, default: 'customer' })
  role!: Role;

  @Column({ type: 'varchar', length: 255, nullable: true })
  avatarUrl!: string | null;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  /** Bumped to revoke every token the user holds (password reset, role change, disabling). */
  @Column({ type: 'int', default: 0 })
  tokenVersion!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
