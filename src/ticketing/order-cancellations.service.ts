import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { EnvironmentVariables } from '../config/env.validation';
import { SaleTransactions } from '../database/sale-transactions';
import type { Transaction } from '../database/transaction';
import { SeatEventsService } from '../live-seats/seat-events.service';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import { OrderDto, toOrderDto } from './dto/order.dto';
import type { Order } from './entities/order.entity';
import { effectiveStatus, refundRefusal } from './order-status';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { SeatClaimsRepository } from './seat-claims.repository';

/** Cancel (a pending hold) and refund (a paid ticket): both free the seats at once. */
@Injectable()
export class OrderCancellationsService {
  constructor(
    private readonly sales: SaleTransactions,
    private readonly schedules: ScheduleSalesService,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly ordersService: OrdersService,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly seatEvents: SeatEventsService,
  ) {}

  async cancel(user: AuthUser, id: number): Promise<OrderDto> {
    const { order, show } = await this.ordersService.requireOwn(user, id);
    return this.sales.runForShowtime(order.scheduleId, async (tx) => {
      const now = tx.startedAt;
      await this.schedules.lockSeats(tx, [order.scheduleId]);
      // Only a live pending order: of a cancel racing a payment or the sweep, one wins.
      if (!(await this.orders.markCancelled(tx, order.id, now))) {
        const status = effectiveStatus(order, now);
        throw new AppException(
          ResultCode.OrderNotPayable,
          `only a pending order can be cancelled; this one is ${status}`,
        );
      }
      await this.freeSeats(tx, order, 0);
      return toOrderDto({ ...order, status: 'cancelled', closedAt: now }, show, { isOwner: true, now });
    });
  }

  async refund(user: AuthUser, id: number): Promise<OrderDto> {
    const { order, show } = await this.ordersService.requireOwn(user, id);
    const cutoffMinutes = this.config.get('REFUND_CUTOFF_MINUTES', { infer: true });
    const refusal = refundRefusal(order, show.startsAt, new Date(), cutoffMinutes);
    if (refusal) throw new AppException(ResultCode.OrderNotRefundable, refusal);
    return this.sales.runForShowtime(order.scheduleId, async (tx) => {
      const now = tx.startedAt;
      await this.schedules.lockSeats(tx, [order.scheduleId]);
      // Only paid and not checked in: of two racing refunds (or a refund and a scan) one wins.
      if (!(await this.orders.markRefunded(tx, order.id, now))) {
        throw new AppException(ResultCode.OrderNotRefundable, 'the ticket was refunded or checked in meanwhile');
      }
      await this.freeSeats(tx, order, -order.seats.length);
      return toOrderDto({ ...order, status: 'refunded', closedAt: now }, show, { isOwner: true, now });
    });
  }

  private async freeSeats(tx: Transaction, order: Order, soldDelta: number): Promise<void> {
    const [version] = await Promise.all([
      this.schedules.recordSeatChange(tx, order.scheduleId, soldDelta),
      this.claims.deleteOfOrder(tx, order.id),
    ]);
    const seats = order.seats.map(({ row, col }) => ({ row, col, status: 'available' as const }));
    this.seatEvents.publishAfterCommit(tx, order.scheduleId, version, seats);
  }
}
