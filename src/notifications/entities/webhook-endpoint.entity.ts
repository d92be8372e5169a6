import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cinema } from '../../catalog/entities/cinema.entity';
import { CreatedAtColumn } from '../../database/columns';

/** Where a cinema's systems want its orders' events (CONTRACT section 14). */
@Entity('webhook_endpoints')
@Index('ix_webhook_endpoints_cinema', ['cinemaId', 'id'])
export class WebhookEndpoint {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  cinemaId!: number;

  @ManyToOne(() => Cinema, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cinema_id' })
  cinema?: Cinema;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  /** The event types sent here, comma-separated. */
  @Column({ type: 'simple-array' })
  events!: string[];

  @Column({ type: 'varchar', length: 200, nullable: true })
  description!: string | null;

  /** `whsec_` + base64 of the key: the API shows it once, at creation; it signs every attempt. */
  @Column({ type: 'varchar', length: 80 })
  secret!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}
