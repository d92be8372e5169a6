import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from '../../database/columns';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Webhooks go to an endpoint; ticket confirmations to a customer's email and phone. */
export const DELIVERY_CHANNELS = ['webhook', 'email', 'sms'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/**
 * One event on its way to one recipient, and the log of its attempts. An attempt is claimed before
 * it is made: `attempts` counts it, `claimToken` names the claim, and `nextAttemptAt` moves past the
 * longest an attempt can take, so no other instance makes it meanwhile, and one killed mid-attempt
 * leaves it to be made again once that time has passed.
 */
@Entity('notification_deliveries')
// The worker's question: pending and due, oldest first.
@Index('ix_notification_deliveries_due', ['status', 'nextAttemptAt'])
@Index('ix_notification_deliveries_endpoint', ['endpointId', 'id'])
@Index('uq_notification_deliveries_route', ['eventRowId', 'channel', 'endpointId'], { unique: true })
export class Delivery {
  @PrimaryGeneratedColumn()
  id!: number;

  /** outbox_events.id: the event's body and id are read from there. */
  @Column({ type: 'int' })
  eventRowId!: number;

  @Column({ type: 'varchar', length: 8 })
  channel!: DeliveryChannel;

  /** Webhooks only; a deleted endpoint takes its deliveries with it. */
  @Column({ type: 'int', nullable: true })
  endpointId!: number | null;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpoint;

  /** The email address or phone number, as the account had it when the event was routed. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  recipient!: string | null;

  @Column({ type: 'varchar', length: 12 })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'int', nullable: true })
  lastStatusCode!: number | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  lastError!: string | null;

  @InstantColumn({ nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  claimToken!: string | null;

  @InstantColumn({ nullable: true })
  deliveredAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
