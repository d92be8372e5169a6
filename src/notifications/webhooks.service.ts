import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { CinemaAccessService } from '../catalog/cinema-access.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { pageWindow } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { EnvironmentVariables } from '../config/env.validation';
import { SaleTransactions } from '../database/sale-transactions';
import type { EventType } from '../outbox/outbox.service';
import { DeliveriesRepository, DeliveryRecord } from './deliveries.repository';
import { DeliveryWorker } from './delivery-worker.service';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryDto,
  DeliveryListQueryDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookListQueryDto,
} from './dto/webhook.dto';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { CLAIM_MS } from './retry-schedule';
import { webhookUrlProblem } from './webhook-address';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';

/** CONTRACT section 14: a cinema's webhook endpoints and their delivery logs, for its owner and admins. */
@Injectable()
export class WebhooksService {
  private readonly allowPrivate: boolean;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly access: CinemaAccessService,
    private readonly sales: SaleTransactions,
    private readonly worker: DeliveryWorker,
  ) {
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true }) === 'on';
  }

  async create(user: AuthUser, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    await this.access.requireManageable(user, dto.cinemaId);
    await this.assertUrl(dto.url);
    const endpoint = await this.endpoints.entities.save(
      this.endpoints.entities.create({
        cinemaId: dto.cinemaId,
        url: dto.url,
        events: dto.events,
        description: dto.description ?? null,
        secret: `whsec_${randomBytes(24).toString('base64')}`,
        active: true,
      }),
    );
    return { ...toWebhookDto(endpoint), secret: endpoint.secret };
  }

  /** A plain list, oldest first: an admin's all (or one cinema's), a merchant's of the cinemas they own. */
  async list(user: AuthUser, query: WebhookListQueryDto): Promise<WebhookDto[]> {
    if (query.cinemaId) await this.access.requireManageable(user, query.cinemaId);
    const found = await this.endpoints.entities.find({
      where: {
        ...(query.cinemaId ? { cinemaId: query.cinemaId } : {}),
        ...(user.role === 'admin' ? {} : { cinema: { ownerId: user.id } }),
      },
      order: { id: 'ASC' },
    });
    return found.map(toWebhookDto);
  }

  async update(user: AuthUser, id: number, dto: UpdateWebhookDto): Promise<WebhookDto> {
    const endpoint = await this.requireManageable(user, id);
    if (dto.url !== undefined) await this.assertUrl(dto.url);
    const changes: Partial<WebhookEndpoint> = {
      ...(dto.url !== undefined ? { url: dto.url } : {}),
      ...(dto.events !== undefined ? { events: dto.events } : {}),
      ...(dto.active !== undefined ? { active: dto.active } : {}),
      ...(dto.description !== undefined ? { description: dto.description } : {}),
    };
    await this.sales.run(async (tx) => {
      if (Object.keys(changes).length) await tx.manager.getRepository(WebhookEndpoint).update({ id }, changes);
      if (dto.active === false) await this.deliveries.failPendingOf(tx, id, 'the endpoint was switched off');
    });
    return toWebhookDto({ ...endpoint, ...changes });
  }

  async remove(user: AuthUser, id: number): Promise<null> {
    await this.requireManageable(user, id);
    // Its deliveries go with it (ON DELETE CASCADE): an attempt under way finds nothing to record.
    await this.endpoints.entities.delete({ id });
    return null;
  }

  async deliveryLog(user: AuthUser, id: number, query: DeliveryListQueryDto): Promise<Page<DeliveryDto>> {
    await this.requireManageable(user, id);
    const [records, total] = await this.deliveries.page(id, query.status, pageWindow(query));
    return new Page(records.map(toDeliveryDto), total);
  }

  /**
   * Sends a delivery again now, whatever its status, and answers it as it stands after the attempt.
   * A pending delivery keeps its schedule if this attempt fails; a delivered or failed one stays failed.
   */
  async retry(user: AuthUser, id: number, deliveryId: number): Promise<DeliveryDto> {
    const endpoint = await this.requireManageable(user, id);
    if (!endpoint.active) {
      throw new AppException(ResultCode.Failed, 'the endpoint is switched off: switch it on before sending again');
    }
    const token = randomBytes(12).toString('hex');
    const delivery = await this.sales.run(async (tx) => {
      const now = tx.startedAt;
      const found = await this.deliveries.lockOne(tx, id, deliveryId);
      if (!found) throw new AppException(ResultCode.NotFound, 'delivery not found');
      if (found.claimToken && found.nextAttemptAt && found.nextAttemptAt > now) {
        throw new AppException(ResultCode.DeliveryInFlight, 'an attempt of this delivery is being made right now');
      }
      const until = new Date(now.getTime() + CLAIM_MS);
      await this.deliveries.claim(tx, [deliveryId], token, until);
      return { ...found, attempts: found.attempts + 1, claimToken: token, nextAttemptAt: until };
    });
    await this.worker.attemptNow(delivery, token, delivery.status === 'pending');
    const [after] = await this.deliveries.byIds([deliveryId]);
    return toDeliveryDto(after ?? delivery);
  }

  private async requireManageable(user: AuthUser, id: number): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.findWithCinema(id);
    if (!endpoint) throw new AppException(ResultCode.NotFound, 'webhook endpoint not found');
    this.access.assertCanManage(user, endpoint.cinema!);
    return endpoint;
  }

  private async assertUrl(url: string): Promise<void> {
    const problem = await webhookUrlProblem(url, { allowPrivate: this.allowPrivate });
    if (problem) throw new AppException(ResultCode.InvalidParams, `url: ${problem}`);
  }
}

function toWebhookDto(endpoint: WebhookEndpoint): WebhookDto {
  return {
    id: endpoint.id,
    cinemaId: endpoint.cinemaId,
    url: endpoint.url,
    events: endpoint.events as EventType[],
    description: endpoint.description,
    active: endpoint.active,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

function toDeliveryDto(delivery: DeliveryRecord): DeliveryDto {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    event: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}
