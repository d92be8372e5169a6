import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  Max,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { Trim } from '../../common/transforms';
import { EVENT_TYPES, type EventType } from '../../outbox/outbox.service';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../entities/delivery.entity';

const MAX_ID = 2_147_483_647;
/** Optional, but an explicit null is checked (1002) rather than written. */
const given = (_: object, value: unknown) => value !== undefined;

export class CreateWebhookDto {
  /** the cinema whose orders' events go to this endpoint; its owner or an admin */
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  cinemaId!: number;

  /** `http` or `https`; loopback, private and link-local addresses (also by name) answer 1002 unless WEBHOOK_ALLOW_PRIVATE=on */
  @ApiProperty({ example: 'https://pos.example.com/ttms/webhooks', maxLength: 2048 })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiProperty({ enum: EVENT_TYPES, isArray: true, example: ['order.paid', 'order.refunded'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true, message: `each event must be one of ${EVENT_TYPES.join(', ')}` })
  events!: EventType[];

  @ApiPropertyOptional({ example: 'box office POS', maxLength: 200 })
  @ValidateIf(given)
  @Trim()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://pos.example.com/ttms/webhooks', maxLength: 2048 })
  @ValidateIf(given)
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true })
  @ValidateIf(given)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true, message: `each event must be one of ${EVENT_TYPES.join(', ')}` })
  events?: EventType[];

  /** false: nothing more is sent, and what was still to be sent is failed (retry it by hand once active again) */
  @ValidateIf(given)
  @IsBoolean()
  active?: boolean;

  /** null clears it */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(200)
  description?: string | null;
}

export class WebhookListQueryDto {
  /** only this cinema's endpoints (its owner or an admin) */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  cinemaId?: number;
}

export class DeliveryListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;
}

export class DeliveryParams {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  id!: number;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  deliveryId!: number;
}

export class WebhookDto {
  id!: number;
  cinemaId!: number;
  url!: string;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true })
  events!: EventType[];
  @ApiProperty({ type: String, nullable: true })
  description!: string | null;
  active!: boolean;
  createdAt!: string;
}

export class CreatedWebhookDto extends WebhookDto {
  /** `whsec_` + base64: the key the signatures are made with. Shown this once; keep it with the receiver. */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;
}

export class DeliveryDto {
  id!: number;
  /** the event's id: the `webhook-id` header, the same on every attempt */
  @ApiProperty({ example: 'evt_5f0c8e2a9b7d4c1e3a6f8b20' })
  eventId!: string;
  @ApiProperty({ enum: EVENT_TYPES })
  event!: EventType;
  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;
  /** attempts made so far, the one under way included */
  attempts!: number;
  /** the HTTP status of the last answer, or null (no answer: timeout, refused, garbage) */
  @ApiProperty({ type: Number, nullable: true, example: 500 })
  lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 500' })
  lastError!: string | null;
  /** while pending: when the next attempt is due (or the one under way times out) */
  @ApiProperty({ type: String, nullable: true })
  nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true })
  deliveredAt!: string | null;
  createdAt!: string;
}
