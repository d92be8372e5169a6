import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { Page, RawResponse } from '../common/envelope';
import { ResultCode } from '../common/result-code';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope';
import { CreateOrderDto } from './dto/create-order.dto';
import { IdParam } from '../common/id-param.dto';
import { ListOrdersQueryDto } from './dto/list-orders.dto';
import { QrCodeQueryDto } from './dto/order-actions.dto';
import { OrderDto } from './dto/order.dto';
import { OrdersService } from './orders.service';
import { SeatHoldsService } from './seat-holds.service';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly holds: SeatHoldsService,
    private readonly orders: OrdersService,
  ) {}

  @Post()
  @Auth()
  @Idempotent()
  @ApiOperation({ summary: 'Hold 1–6 seats of a showtime until expiresAt (all or none)' })
  @ApiEnvelope(OrderDto, {
    status: 201,
    errors: [ResultCode.NotFound, ResultCode.SeatUnavailable, ResultCode.TicketLimitExceeded, ResultCode.NotOnSale],
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOrderDto): Promise<OrderDto> {
    return this.holds.hold(user, dto);
  }

  @Get()
  @Auth()
  @ApiOperation({ summary: 'My orders, newest first' })
  @ApiEnvelope(OrderDto, { paged: true })
  list(@CurrentUser() user: AuthUser, @Query() query: ListOrdersQueryDto): Promise<Page<OrderDto>> {
    return this.orders.list(user, query);
  }

  @Get(':id')
  @Auth()
  @ApiOperation({ summary: 'One order: its owner, an admin, or the owner of its cinema' })
  @ApiEnvelope(OrderDto, { errors: [ResultCode.NotFound] })
  get(@CurrentUser() user: AuthUser, @Param() { id }: IdParam): Promise<OrderDto> {
    return this.orders.get(user, id);
  }

  @Get(':id/qrcode')
  @Auth()
  @ApiOperation({ summary: 'The ticket code as a QR image (PNG, or SVG with ?format=svg); owner only, once paid' })
  @ApiResponse({
    status: 200,
    description: 'the QR image itself (no envelope); errors answer the JSON envelope',
    content: {
      'image/png': { schema: { type: 'string', format: 'binary' } },
      'image/svg+xml': { schema: { type: 'string' } },
    },
  })
  @ApiErrors(ResultCode.InvalidParams, ResultCode.NotFound, ResultCode.OrderNotPayable, ResultCode.ServerError)
  qrCode(
    @CurrentUser() user: AuthUser,
    @Param() { id }: IdParam,
    @Query() query: QrCodeQueryDto,
  ): Promise<RawResponse> {
    return this.orders.qrCode(user, id, query.format);
  }
}
