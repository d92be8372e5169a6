import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, DayColumn } from '../../database/columns';

@Entity('movies')
@Index('uq_movies_title_release', ['title', 'releaseDate'], { unique: true })
export class Movie {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 100 })
  director!: string;

  @Column({ type: 'simple-json' })
  actors!: string[];

  @Column({ type: 'int' })
  durationMinutes!: number;

  @Column({ type: 'varchar', length: 500 })
  posterUrl!: string;

  @Column({ type: 'text' })
  description!: string;

  @Index('ix_movies_release_date')
  @DayColumn()
  releaseDate!: string;

  @DayColumn({ nullable: true })
  offDate!: string | null;

  @Column({ type: 'simple-json' })
  genres!: string[];

  @CreatedAtColumn()
  createdAt!: Date;
}
