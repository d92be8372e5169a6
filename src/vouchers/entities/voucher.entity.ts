import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cinema } from '../../catalog/entities/cinema.entity';
import { Movie } from '../../catalog/entities/movie.entity';
import { CreatedAtColumn, InstantColumn } from '../../database/columns';

export type VoucherKind = 'amount' | 'percent';

/** A promotion code (CONTRACT section 13). Its uses are the orders that carry it and hold or own their seats. */
@Entity('vouchers')
export class Voucher {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Upper case, unique across the platform. */
  @Index('uq_vouchers_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  /** NULL: every cinema (an admin's voucher). */
  @Column({ type: 'int', nullable: true })
  cinemaId!: number | null;

  @ManyToOne(() => Cinema, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cinema_id' })
  cinema?: Cinema;

  @Column({ type: 'int', nullable: true })
  movieId!: number | null;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;

  @Column({ type: 'varchar', length: 8 })
  kind!: VoucherKind;

  /** `amount`: cents off the order; `percent`: 1–99. */
  @Column({ type: 'int' })
  value!: number;

  @Column({ type: 'int' })
  maxUses!: number;

  @Column({ type: 'int' })
  perUserMaxUses!: number;

  @Column({ type: 'int' })
  minSeats!: number;

  @InstantColumn({ nullable: true })
  validFrom!: Date | null;

  @InstantColumn({ nullable: true })
  validTo!: Date | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /**
   * Bumped by every hold that takes a use: holds racing for the last use write the same row, so they
   * queue on its lock on one server and conflict at certification across Galera nodes, where a row
   * lock alone would not be seen by the other nodes.
   */
  @Column({ type: 'int', default: 0 })
  useVersion!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
