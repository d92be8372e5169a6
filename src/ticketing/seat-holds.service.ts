import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { EnvironmentVariables } from '../config/env.validation';
import { isDuplicateKeyError } from '../database/db-errors';
import { TransactionRunner } from '../database/transaction-runner';
import type { SeatPosition } from '../halls/entities/hall.entity';
import type { SaleContext } from '../schedules/schedule-sales.service';
import { CreateOrderDto, MAX_SEATS_PER_USER } from './dto/create-order.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import { OrdersRepository } from './orders.repository';
import { SaleContextRepository } from './sale-context.repository';
import { HeldClaim, SeatClaimsRepository } from './seat-claims.repository';
import { SeatEventsService } from '../live-seats/seat-events.service';

/** POST /orders: holds seats for ORDER_HOLD_SECONDS, all of them or none. */
@Injectable()
export class SeatHoldsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly saleContexts: SaleContextRepository,
    private readonly orders: OrdersRepository,
    private readonly claims: SeatClaimsRepository,
    private readonly config: ConfigService<EnvironmentVariables, true>,
    private readonly seatEvents: SeatEventsService,
  ) {}

  async hold(user: AuthUser, dto: CreateOrderDto): Promise<OrderDto> {
    // Sorted, so that two holds of overlapping seats lock index entries in the same order.
    const seats = [...dto.seats].sort((a, b) => a.row - b.row || a.col - b.col).map(({ row, col }) => ({ row, col }));
    const holdMs = this.config.get('ORDER_HOLD_SECONDS', { infer: true }) * 1000;
    const { order, publish } = await this.runner.run(async (manager) => {
      const now = new Date();
      // First, the showtime's row lock (its seat version): holds of one showtime queue here, after any
      // layout change or payment of it, and every transaction takes it before touching claims. It
      // also makes the per-user cap safe: it counts the user's claims of this showtime only.
      const publish = await this.seatEvents.record(
        manager,
        dto.scheduleId,
        seats.map((seat) => ({ ...seat, status: 'held' as const })),
      );
      // Both reads come after the lock, in either order: on MySQL they travel together on the
      // connection, one wait for the two while the showtime stays locked.
      const [context, found] = await Promise.all([
        this.saleContexts.findForHold(manager, dto.scheduleId),
        this.claims.findOfUserOrSeats(manager, dto.scheduleId, user.id, seats),
      ]);
      if (!context) throw new AppException(ResultCode.NotFound, 'showtime not found');
      assertOnSale(context, now);
      assertSeatsSellable(context, seats);

      const isLive = (claim: HeldClaim) => claim.expiresAt === null || claim.expiresAt.getTime() > now.getTime();
      const live = found.filter(isLive);
      const owned = live.filter((claim) => claim.userId === user.id).length;
      if (owned + seats.length > MAX_SEATS_PER_USER) {
        throw new AppException(
          ResultCode.TicketLimitExceeded,
          `at most ${MAX_SEATS_PER_USER} seats per showtime: you already hold or own ${owned}`,
        );
      }
      const wanted = new Set(seats.map(seatKey));
      const taken = live.filter((claim) => wanted.has(seatKey(claim)));
      if (taken.length) throw seatsTaken(taken);

      // A lapsed hold blocks nothing, but its row still holds the unique key: it goes first.
      const lapsed = found.filter((claim) => !isLive(claim) && wanted.has(seatKey(claim)));
      if (lapsed.length) {
        await this.claims.deleteByIds(
          manager,
          lapsed.map((claim) => claim.id),
        );
      }
      const order = await this.orders.insertPending(manager, {
        userId: user.id,
        scheduleId: context.scheduleId,
        seats,
        unitPriceCents: context.priceCents,
        amountCents: context.priceCents * seats.length,
        expiresAt: new Date(now.getTime() + holdMs),
        createdAt: now,
      });
      try {
        const claim = {
          scheduleId: context.scheduleId,
          orderId: order.id,
          userId: user.id,
          expiresAt: order.expiresAt,
        };
        await this.claims.insertClaims(manager, claim, seats);
      } catch (error) {
        // Another hold got there between our read and our insert: the unique key decides.
        if (isDuplicateKeyError(error)) throw seatsTaken([]);
        throw error;
      }
      return { order: toOrderDto(order, context, { isOwner: true, now }), publish };
    });
    publish();
    return order;
  }
}

const seatKey = (seat: SeatPosition) => `${seat.row}-${seat.col}`;

function seatsTaken(taken: SeatPosition[]): AppException {
  if (!taken.length) return new AppException(ResultCode.SeatUnavailable, 'one of these seats was just taken');
  const which = taken.length === 1 ? `seat ${seatKey(taken[0])} is` : `seats ${taken.map(seatKey).join(', ')} are`;
  return new AppException(ResultCode.SeatUnavailable, `${which} already held or sold`);
}

function assertOnSale(context: SaleContext, now: Date): void {
  if (context.cinemaStatus !== 'active') {
    throw new AppException(ResultCode.NotOnSale, 'the cinema is not selling tickets at the moment');
  }
  if (context.startsAt.getTime() <= now.getTime()) {
    throw new AppException(ResultCode.NotOnSale, 'sales stop when the showtime starts');
  }
}

/** Outside the grid is a malformed request (1002); a disabled seat exists but cannot be sold (2003). */
function assertSeatsSellable(context: SaleContext, seats: SeatPosition[]): void {
  const outside = seats.filter((s) => s.row > context.rows || s.col > context.cols);
  if (outside.length) {
    const fieldErrors = outside.map((s) => ({
      field: 'seats',
      message: `seat ${s.row}-${s.col} is outside the hall's ${context.rows}×${context.cols} grid`,
    }));
    throw new AppException(ResultCode.InvalidParams, `seats: ${fieldErrors[0].message}`, fieldErrors);
  }
  const disabled = new Set(context.disabledSeats.map(seatKey));
  const blocked = seats.find((s) => disabled.has(seatKey(s)));
  if (blocked) throw new AppException(ResultCode.SeatUnavailable, `seat ${blocked.row}-${blocked.col} is not in use`);
}
