import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cinema } from '../../catalog/entities/cinema.entity';
import { CreatedAtColumn, InstantColumn } from '../../database/columns';
import type { HallZone, SeatPosition } from '../hall-layout';

// Still imported from here by files of the sale path and by the e2e tests; other modules take it from hall-layout.
export type { SeatPosition };

@Entity('halls')
@Index('uq_halls_cinema_name', ['cinemaId', 'name'], { unique: true })
export class Hall {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  cinemaId!: number;

  @ManyToOne(() => Cinema, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cinema_id' })
  cinema?: Cinema;

  /** A deleted hall keeps its row for its past showtimes and gets a suffixed name, freeing the name. */
  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: 'int' })
  rows!: number;

  @Column({ type: 'int' })
  cols!: number;

  @Column({ type: 'simple-json' })
  disabledSeats!: SeatPosition[];

  @Column({ type: 'int' })
  seatCount!: number;

  /** Named zones (VIP rows, sofas); seats in none are in zone `standard`. NULL: none. */
  @Column({ type: 'simple-json', nullable: true })
  zones!: HallZone[] | null;

  /** The left seats of couple pairs, each sold with (row, col + 1). NULL: none. */
  @Column({ type: 'simple-json', nullable: true })
  couples!: SeatPosition[] | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  @InstantColumn({ nullable: true })
  deletedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
