import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { ApiEnvelope } from '../common/swagger/api-envelope';
import { CheckInService } from './check-in.service';
import { CheckInDto } from './dto/order-actions.dto';
import { OrderDto } from './dto/order.dto';

@ApiTags('tickets')
@Controller('tickets')
export class CheckInController {
  constructor(private readonly checkIns: CheckInService) {}

  @Post('check-in')
  @Auth('merchant', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: "Check a ticket in at the door (the showtime's cinema owner or an admin)" })
  @ApiEnvelope(OrderDto, { errors: [ResultCode.TicketInvalid] })
  checkIn(@CurrentUser() user: AuthUser, @Body() dto: CheckInDto): Promise<OrderDto> {
    return this.checkIns.checkIn(user, dto);
  }
}
