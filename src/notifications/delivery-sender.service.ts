import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Webhook } from 'standardwebhooks';
import { EnvironmentVariables } from '../config/env.validation';
import { MailSender } from '../messaging/mail.sender';
import { SMS_DRIVER, type SmsDriver } from '../messaging/sms.sender';
import type { OrderDto } from '../ticketing/dto/order.dto';
import { refundEmail, refundSms, TicketFacts, ticketEmail, ticketSms } from './customer-messages';
import type { DeliveryRecord } from './deliveries.repository';
import { ATTEMPT_TIMEOUT_MS, AttemptOutcome, CLAIM_MARGIN_MS } from './retry-schedule';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { postWebhook } from './webhook-post';

/** One attempt of one delivery, by its channel. Never throws: every failure is an outcome. */
@Injectable()
export class DeliverySender {
  private readonly allowPrivate: boolean;
  private readonly timeZone: string;

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly mail: MailSender,
    @Inject(SMS_DRIVER) private readonly sms: SmsDriver,
  ) {
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true }) === 'on';
    this.timeZone = config.get('APP_TIMEZONE', { infer: true });
  }

  /**
   * Makes the attempt within the claim it was given: it ends (answered or cut off) before
   * `claimedUntil`, so another instance that claims the delivery after that never overlaps it.
   */
  async attempt(delivery: DeliveryRecord, claimedUntil: Date): Promise<AttemptOutcome> {
    const timeoutMs = Math.min(ATTEMPT_TIMEOUT_MS, claimedUntil.getTime() - Date.now() - CLAIM_MARGIN_MS);
    if (timeoutMs <= 0) {
      return { delivered: false, statusCode: null, error: 'the claim ran out before the attempt could start' };
    }
    try {
      if (delivery.channel === 'webhook') return await this.post(delivery, timeoutMs);
      await withDeadline(delivery.channel === 'email' ? this.email(delivery) : this.text(delivery), timeoutMs);
      return { delivered: true, statusCode: null, error: null };
    } catch (error) {
      return { delivered: false, statusCode: null, error: oneLine(error) };
    }
  }

  private async post(delivery: DeliveryRecord, timeoutMs: number): Promise<AttemptOutcome> {
    const endpoint = delivery.endpointId ? await this.endpoints.entities.findOneBy({ id: delivery.endpointId }) : null;
    if (!endpoint?.active) return { delivered: false, statusCode: null, error: 'the endpoint is inactive' };
    const signed = new Date();
    const headers = {
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(Math.floor(signed.getTime() / 1000)),
      'webhook-signature': new Webhook(endpoint.secret).sign(delivery.eventId, signed, delivery.body),
      'User-Agent': 'TTMS-Webhooks/1',
    };
    return postWebhook(endpoint.url, delivery.body, headers, {
      allowPrivate: this.allowPrivate,
      timeoutMs,
    });
  }

  private async email(delivery: DeliveryRecord): Promise<void> {
    const facts = factsOf(delivery);
    const to = delivery.recipient!;
    const id = { eventId: delivery.eventId, from: this.mail.from, timeZone: this.timeZone };
    const mail = delivery.eventType === 'order.paid' ? await ticketEmail(to, facts, id) : refundEmail(to, facts, id);
    await this.mail.send(mail, `${delivery.eventType} email for ${to} (order ${facts.orderId})`);
  }

  private async text(delivery: DeliveryRecord): Promise<void> {
    const facts = factsOf(delivery);
    const phone = delivery.recipient!;
    const message =
      delivery.eventType === 'order.paid'
        ? ticketSms(phone, facts, this.timeZone)
        : refundSms(phone, facts, this.timeZone);
    await this.sms.send(message);
  }
}

function factsOf(delivery: DeliveryRecord): TicketFacts {
  const { data } = JSON.parse(delivery.body) as { data: OrderDto };
  return {
    orderId: data.id,
    movieTitle: data.movieTitle,
    cinemaName: data.cinemaName,
    hallName: data.hallName,
    startsAt: data.startsAt,
    endsAt: null,
    seats: data.seats,
    amount: data.amount,
    ticketCode: data.ticketCode,
  };
}

/** An email or SMS that takes longer than an attempt may is a failed attempt (it may still arrive: a repeat then). */
async function withDeadline(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, 255);
}
