import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { ResultCode } from '../common/result-code';
import { EnvironmentVariables } from '../config/env.validation';
import { isDuplicateKeyError } from '../database/db-errors';
import { runStatements } from '../database/raw-sql';
import { PREVIOUS_INSERT_ID } from '../database/statement';
import { TransactionRunner } from '../database/transaction-runner';
import type { SeatPosition } from '../halls/entities/hall.entity';
import type { SaleContext } from '../schedules/schedule-sales.service';
import { CreateOrderDto, MAX_SEATS_PER_USER } from './dto/create-order.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import type { Order } from './entities/order.entity';
import { OrdersRepository } from './orders.repository';
import { SaleContextRepository } from './sale-context.repository';
import { HeldClaim, SeatClaimsRepository } from './seat-claims.repository';
import { SeatEventsService, showtimeLock } from '../live-seats/seat-events.service';

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
    const { order, publish } = await this.runner.run(
      async (manager) => {
        const now = new Date();
        // The first round trip. First the showtime's row lock (its seat version): holds of one
        // showtime queue here, after any layout change or payment of it, and every transaction takes
        // it before touching claims. It also makes the per-user cap safe: it counts the user's claims
        // of this showtime only. Then, under the lock, the showtime and the claims that matter.
        const [version, context, found] = await runStatements(manager, [
          this.seatEvents.versionBump(manager, dto.scheduleId),
          this.saleContexts.forHold(dto.scheduleId),
          this.claims.ofUserOrSeats(dto.scheduleId, user.id, seats),
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

        const expiresAt = new Date(now.getTime() + holdMs);
        const writes = [
          this.orders.insertPending({
            userId: user.id,
            scheduleId: context.scheduleId,
            seats,
            unitPriceCents: context.priceCents,
            amountCents: context.priceCents * seats.length,
            expiresAt,
            createdAt: now,
          }),
          this.claims.insertClaims(
            { scheduleId: context.scheduleId, orderId: PREVIOUS_INSERT_ID, userId: user.id, expiresAt },
            seats,
          ),
        ] as const;
        // A lapsed hold blocks nothing, but its row still holds the unique key: it goes first.
        const lapsed = found.filter((claim) => !isLive(claim) && wanted.has(seatKey(claim))).map((claim) => claim.id);
        let order: Order;
        try {
          // The second and last round trip: the writes, and the commit with them.
          if (lapsed.length) {
            [, order] = await runStatements(manager, [this.claims.deleteByIds(lapsed), ...writes], {
              thenCommit: true,
            });
          } else {
            [order] = await runStatements(manager, writes, { thenCommit: true });
          }
        } catch (error) {
          // Another hold got there between our read and our insert: the unique key decides.
          if (isDuplicateKeyError(error)) throw seatsTaken([]);
          throw error;
        }
        const held = seats.map((seat) => ({ ...seat, status: 'held' as const }));
        return {
          order: toOrderDto(order, context, { isOwner: true, now }),
          publish: this.seatEvents.announcement(dto.scheduleId, version, held),
        };
      },
      { queueOn: showtimeLock(dto.scheduleId) },
    );
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
