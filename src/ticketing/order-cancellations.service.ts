import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { EnvironmentVariables } from '../config/env.validation';
import { TransactionRunner } from '../database/transaction-runner';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import { OrderDto, toOrderDto } from './dto/order.dto';
import { effectiveStatus, refundRefusal } from './order-status';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { SeatClaimsRepository } from './seat-claims.repository';
import { SeatEventsService } from '../live-seats/seat-events.service';
import { EntityManager } from 'typeorm';
import type { Order } from './entities/order.entity';

/** Cancel (a pending hold) and refund (a paid ticket): both free the seats at once. */
@Injectable()
export class OrderCancellationsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly sales: ScheduleSalesService,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly ordersService: OrdersService,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly seatEvents: SeatEventsService,
  ) {}

  async cancel(user: AuthUser, id: number): Promise<OrderDto> {
    const { order, show } = await this.ordersService.requireOwn(user, id);
    const { dto, publish } = await this.runner.run(async (manager) => {
      await this.seatEvents.lockShowtimes(manager, [order.scheduleId]);
      const now = new Date();
      if (!(await this.orders.markCancelled(manager, order.id, now))) {
        const status = effectiveStatus(order, now);
        throw new AppException(
          ResultCode.OrderNotPayable,
          `only a pending order can be cancelled; this one is ${status}`,
        );
      }
      const publish = await this.freeSeats(manager, order);
      return {
        dto: toOrderDto({ ...order, status: 'cancelled', closedAt: now }, show, { isOwner: true, now }),
        publish,
      };
    });
    publish();
    return dto;
  }

  async refund(user: AuthUser, id: number): Promise<OrderDto> {
    const { order, show } = await this.ordersService.requireOwn(user, id);
    const cutoffMinutes = this.config.get('REFUND_CUTOFF_MINUTES', { infer: true });
    const refusal = refundRefusal(order, show.startsAt, new Date(), cutoffMinutes);
    if (refusal) throw new AppException(ResultCode.OrderNotRefundable, refusal);
    const { dto, publish } = await this.runner.run(async (manager) => {
      await this.seatEvents.lockShowtimes(manager, [order.scheduleId]);
      const now = new Date();
      // Conditional on still paid and not checked in: of two racing refunds (or a refund and a scan) one wins.
      if (!(await this.orders.markRefunded(manager, order.id, now))) {
        throw new AppException(ResultCode.OrderNotRefundable, 'the ticket was refunded or checked in meanwhile');
      }
      await this.sales.adjustSoldCount(manager, order.scheduleId, -order.seats.length);
      const publish = await this.freeSeats(manager, order);
      return {
        dto: toOrderDto({ ...order, status: 'refunded', closedAt: now }, show, { isOwner: true, now }),
        publish,
      };
    });
    publish();
    return dto;
  }

  private async freeSeats(manager: EntityManager, order: Order): Promise<() => void> {
    const publish = await this.seatEvents.record(
      manager,
      order.scheduleId,
      order.seats.map((seat) => ({ row: seat.row, col: seat.col, status: 'available' as const })),
    );
    await this.claims.deleteOfOrder(manager, order.id);
    return publish;
  }
}
