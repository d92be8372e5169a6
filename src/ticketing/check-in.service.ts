import { Injectable } from '@nestjs/common';
import { CinemaAccessService } from '../catalog/cinema-access.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { SaleTransactions } from '../database/sale-transactions';
import { CheckInDto } from './dto/order-actions.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import { OrderViewsRepository } from './order-views.repository';
import { OrdersRepository } from './orders.repository';
import { PaymentRecordsService } from '../payments/payment-records.service';
import { TICKET_CODE_LENGTH } from './ticket-code';

const TICKET_CODE = new RegExp(`^\\d{${TICKET_CODE_LENGTH}}$`);

/** POST /tickets/check-in: the door scan, by the showtime's cinema owner or an admin. */
@Injectable()
export class CheckInService {
  constructor(
    private readonly sales: SaleTransactions,
    private readonly views: OrderViewsRepository,
    private readonly orders: OrdersRepository,
    private readonly access: CinemaAccessService,
    private readonly payments: PaymentRecordsService,
  ) {}

  async checkIn(user: AuthUser, dto: CheckInDto): Promise<OrderDto> {
    // A garbled scan is an invalid ticket, the same answer as an unknown code.
    const view = TICKET_CODE.test(dto.ticketCode) ? await this.views.findViewByTicketCode(dto.ticketCode) : null;
    if (!view) throw new AppException(ResultCode.TicketInvalid, 'unknown ticket code');
    // Before any state is told: another cinema's merchant learns nothing, and the ticket stays usable.
    this.access.assertCanManage(user, { ownerId: view.cinemaOwnerId });
    const { order, show } = view;
    if (order.status !== 'paid') throw new AppException(ResultCode.TicketInvalid, `the ticket is ${order.status}`);
    if (order.checkedInAt) {
      throw new AppException(ResultCode.TicketInvalid, `already checked in at ${order.checkedInAt.toISOString()}`);
    }
    const [checkedIn, payments] = await Promise.all([this.record(order.id), this.payments.latestOf([order.id])]);
    return toOrderDto(
      { ...order, checkedInAt: checkedIn },
      show,
      { isOwner: order.userId === user.id, now: checkedIn },
      payments.get(order.id),
    );
  }

  private record(orderId: number): Promise<Date> {
    return this.sales.run(async (tx) => {
      const now = tx.startedAt;
      // The scan that flips checked_in_at wins; a racing second scan updates nothing.
      if (!(await this.orders.markCheckedIn(tx, orderId, now))) {
        throw new AppException(ResultCode.TicketInvalid, 'the ticket was checked in or refunded meanwhile');
      }
      return now;
    });
  }
}
