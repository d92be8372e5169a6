import { Injectable } from '@nestjs/common';
import { CinemaAccessService } from '../catalog/cinema-access.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { SaleTransactions } from '../database/sale-transactions';
import { CheckInDto } from './dto/order-actions.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import { OrderView, OrderViewsRepository } from './order-views.repository';
import { OutboxService } from '../outbox/outbox.service';
import { orderEvent } from './order-events';
import { OrdersRepository } from './orders.repository';
import { PaymentRecord, PaymentRecordsService } from '../payments/payment-records.service';
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
    private readonly outbox: OutboxService,
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
    const { checkedIn, payment } = await this.record(view);
    return toOrderDto(
      { ...order, checkedInAt: checkedIn },
      show,
      { isOwner: order.userId === user.id, now: checkedIn },
      payment,
    );
  }

  private record(view: OrderView): Promise<{ checkedIn: Date; payment: PaymentRecord | undefined }> {
    const { order } = view;
    return this.sales.run(async (tx) => {
      const now = tx.startedAt;
      // The scan that flips checked_in_at wins; a racing second scan updates nothing.
      const [marked, latest] = await Promise.all([
        this.orders.markCheckedIn(tx, order.id, now),
        this.payments.latestOf([order.id], tx),
      ]);
      if (!marked) {
        throw new AppException(ResultCode.TicketInvalid, 'the ticket was checked in or refunded meanwhile');
      }
      const payment = latest.get(order.id);
      const scanned = { ...order, checkedInAt: now };
      await this.outbox.record(tx, [orderEvent('ticket.checked_in', view, scanned, payment, now)]);
      return { checkedIn: now, payment };
    });
  }
}
