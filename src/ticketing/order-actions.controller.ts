import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { IdParam } from '../common/id-param.dto';
import { PayOrderDto } from './dto/order-actions.dto';
import { OrderDto } from './dto/order.dto';
import { OrderCancellationsService } from './order-cancellations.service';
import { OrderPaymentsService } from './order-payments.service';

@ApiTags('orders')
@Controller('orders')
export class OrderActionsController {
  constructor(
    private readonly payments: OrderPaymentsService,
    private readonly cancellations: OrderCancellationsService,
  ) {}

  @Post(':id/pay')
  @Auth()
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Pay a held order (a paid order answers as it is)' })
  @ApiEnvelope(OrderDto, { errors: [ResultCode.NotFound, ResultCode.OrderNotPayable] })
  pay(@CurrentUser() user: AuthUser, @Param() { id }: IdParam, @Body() dto: PayOrderDto): Promise<OrderDto> {
    return this.payments.pay(user, id, dto);
  }

  @Post(':id/cancel')
  @Auth()
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a pending order and free its seats' })
  @ApiEnvelope(OrderDto, { errors: [ResultCode.NotFound, ResultCode.OrderNotPayable] })
  cancel(@CurrentUser() user: AuthUser, @Param() { id }: IdParam): Promise<OrderDto> {
    return this.cancellations.cancel(user, id);
  }

  @Post(':id/refund')
  @Auth()
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Refund a paid ticket until REFUND_CUTOFF_MINUTES before the start' })
  @ApiEnvelope(OrderDto, { errors: [ResultCode.NotFound, ResultCode.OrderNotRefundable] })
  refund(@CurrentUser() user: AuthUser, @Param() { id }: IdParam): Promise<OrderDto> {
    return this.cancellations.refund(user, id);
  }
}
