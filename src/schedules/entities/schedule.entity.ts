import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cinema } from '../../catalog/entities/cinema.entity';
import { Movie } from '../../catalog/entities/movie.entity';
import { CentsColumn, CreatedAtColumn, DayColumn, InstantColumn } from '../../database/columns';
import { Hall } from '../../halls/entities/hall.entity';

export interface TicketType {
  name: string;
  discountCents: number;
}

@Entity('schedules')
@Index('ix_schedules_hall_start', ['hallId', 'startsAt'])
@Index('ix_schedules_cinema_day', ['cinemaId', 'showDate'])
@Index('ix_schedules_movie_start', ['movieId', 'startsAt'])
export class Schedule {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  movieId!: number;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;

  @Column({ type: 'int' })
  hallId!: number;

  @ManyToOne(() => Hall, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hall_id' })
  hall?: Hall;

  /** The hall's cinema, copied so that lists filter and box office groups without a join. */
  @Column({ type: 'int' })
  cinemaId!: number;

  @ManyToOne(() => Cinema, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cinema_id' })
  cinema?: Cinema;

  @Index('ix_schedules_starts_at')
  @InstantColumn()
  startsAt!: Date;

  @InstantColumn()
  endsAt!: Date;

  /** The local day of `startsAt` in APP_TIMEZONE, set whenever the start moves. */
  @Index('ix_schedules_show_date')
  @DayColumn()
  showDate!: string;

  @CentsColumn()
  priceCents!: number;

  /** Price in cents by zone name; a zone without one sells at `priceCents`. NULL: none. */
  @Column({ type: 'simple-json', nullable: true })
  zonePrices!: Record<string, number> | null;

  /** Ticket types (student, child...) with their discount in cents off a seat's zone price. NULL: none. */
  @Column({ type: 'simple-json', nullable: true })
  ticketTypes!: TicketType[] | null;

  /** Seats on sale: the hall's seat count when scheduled, kept in step with layout changes. */
  @Column({ type: 'int' })
  seatCount!: number;

  /** Seats of paid orders, kept in step by payment and refund in their transactions. */
  @Column({ type: 'int', default: 0 })
  soldCount!: number;

  /**
   * Bumped in the same transaction as every seat status change of this showtime, so that the live
   * seat map's versions follow commit order on any number of instances.
   */
  @Column({ type: 'int', default: 0 })
  seatVersion!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
