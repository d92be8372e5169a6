import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { instantOf } from '../database/raw-sql';
import { readStatement } from '../database/statement';
import type { Transaction } from '../database/transaction';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';

/** An active endpoint as routing sees it: which cinema, which events, since when. */
export interface Subscriber {
  id: number;
  cinemaId: number;
  events: string[];
  createdAt: Date;
}

/** Every statement on `webhook_endpoints`. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(@InjectRepository(WebhookEndpoint) readonly entities: Repository<WebhookEndpoint>) {}

  /** The active endpoints of these cinemas, read in the routing transaction. */
  activeOf(tx: Transaction, cinemaIds: number[]): Promise<Subscriber[]> {
    if (!cinemaIds.length) return Promise.resolve([]);
    const sql = `SELECT id, cinema_id, events, created_at FROM webhook_endpoints WHERE cinema_id IN (:...cinemaIds) AND active = 1`;
    return tx.send(
      readStatement<{ id: unknown; cinema_id: unknown; events: string; created_at: unknown }, Subscriber[]>(
        sql,
        { cinemaIds },
        (rows) =>
          rows.map((row) => ({
            id: Number(row.id),
            cinemaId: Number(row.cinema_id),
            events: row.events.split(','),
            createdAt: instantOf(row.created_at)!,
          })),
      ),
    );
  }

  /** With its cinema's owner, for access checks. */
  findWithCinema(id: number): Promise<WebhookEndpoint | null> {
    return this.entities.findOne({ where: { id }, relations: { cinema: true } });
  }
}
