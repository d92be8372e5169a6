import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from '../../database/columns';

/**
 * One thing that happened to an order, written in the transaction that made it happen (CONTRACT
 * section 14): it exists exactly when its change does. Notifications route it to deliveries after
 * the commit; the row stays as the record of what was sent.
 */
@Entity('outbox_events')
// The routing step reads the oldest unrouted events: routed_at IS NULL, by id.
@Index('ix_outbox_events_unrouted', ['routedAt', 'id'])
export class OutboxEvent {
  @PrimaryGeneratedColumn()
  id!: number;

  /** `webhook-id` on every attempt, and the email's Message-ID: the same for every attempt. */
  @Index('uq_outbox_events_event_id', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  eventId!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  /** Plain columns, not foreign keys: a record of what happened outlives what it names. */
  @Column({ type: 'int' })
  cinemaId!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'int' })
  orderId!: number;

  /** The exact JSON sent, `{ type, timestamp, data }`: signatures cover these bytes, on every attempt. */
  @Column({ type: 'text' })
  body!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  /** When its deliveries were created; null until then. */
  @InstantColumn({ nullable: true })
  routedAt!: Date | null;
}
