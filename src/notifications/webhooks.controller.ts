import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { Page } from '../common/envelope';
import { IdParam } from '../common/id-param.dto';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  DeliveryDto,
  DeliveryListQueryDto,
  DeliveryParams,
  UpdateWebhookDto,
  WebhookDto,
  WebhookListQueryDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

const { NotFound, PermissionDenied, Failed, DeliveryInFlight } = ResultCode;

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Auth('merchant', 'admin')
  @ApiOperation({
    summary: "Send a cinema's order events to a URL, signed as Standard Webhooks; the secret is shown this once",
  })
  @ApiEnvelope(CreatedWebhookDto, { status: 201, errors: [NotFound, PermissionDenied] })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(user, dto);
  }

  @Get()
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: "Webhook endpoints (no secrets), oldest first: an admin's all, a merchant's own cinemas'" })
  @ApiEnvelope([WebhookDto], { errors: [NotFound, PermissionDenied] })
  list(@CurrentUser() user: AuthUser, @Query() query: WebhookListQueryDto): Promise<WebhookDto[]> {
    return this.webhooks.list(user, query);
  }

  @Patch(':id')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Change the URL, the events, the description, or switch it off and on' })
  @ApiEnvelope(WebhookDto, { errors: [NotFound, PermissionDenied] })
  update(@CurrentUser() user: AuthUser, @Param() { id }: IdParam, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.update(user, id, dto);
  }

  @Delete(':id')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Delete an endpoint and its delivery log' })
  @ApiEnvelope(null, { errors: [NotFound, PermissionDenied] })
  remove(@CurrentUser() user: AuthUser, @Param() { id }: IdParam): Promise<null> {
    return this.webhooks.remove(user, id);
  }

  @Get(':id/deliveries')
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: "An endpoint's deliveries, newest first: status, attempts, the last answer" })
  @ApiEnvelope(DeliveryDto, { paged: true, errors: [NotFound, PermissionDenied] })
  deliveries(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParam,
    @Query() query: DeliveryListQueryDto,
  ): Promise<Page<DeliveryDto>> {
    return this.webhooks.deliveryLog(user, id, query);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(200)
  @Auth('merchant', 'admin')
  @ApiOperation({ summary: 'Send a delivery again now (same webhook-id) and answer it after the attempt' })
  @ApiEnvelope(DeliveryDto, { errors: [NotFound, PermissionDenied, Failed, DeliveryInFlight] })
  retry(@CurrentUser() user: AuthUser, @Param() { id, deliveryId }: DeliveryParams): Promise<DeliveryDto> {
    return this.webhooks.retry(user, id, deliveryId);
  }
}
