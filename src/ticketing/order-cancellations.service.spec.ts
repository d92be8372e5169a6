import type { OutboxService } from '../outbox/outbox.service';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { EnvironmentVariables } from '../config/env.validation';
import type { SaleTransactions } from '../database/sale-transactions';
import type { Transaction } from '../database/transaction';
import { ScheduleSalesService } from '../schedules/schedule-sales.service';
import type { Order } from './entities/order.entity';
import { SeatEventsService } from '../live-seats/seat-events.service';
import { OrderCancellationsService } from './order-cancellations.service';
import { OrdersRepository } from './orders.repository';
import { PaymentProvidersService } from '../payments/payment-providers.service';
import { PaymentRecordsService } from '../payments/payment-records.service';
import { ProviderFollowUps } from './provider-follow-ups.service';
import { OrdersService } from './orders.service';
import { SeatClaimsRepository } from './seat-claims.repository';

describe('OrderCancellationsService.refund', () => {
  const user: AuthUser = { id: 7, role: 'customer', tokenId: 't', expiresAt: new Date() };
  const tx = { startedAt: new Date() } as Transaction;
  const order = {
    id: 1,
    userId: 7,
    scheduleId: 3,
    status: 'paid',
    seats: [{ row: 1, col: 1 }],
    amountCents: 4550,
    expiresAt: new Date(),
    paidAt: new Date(),
    ticketCode: '1234567812345678',
    checkedInAt: null,
    createdAt: new Date(),
  };
  const startingIn = (minutes: number) => new Date(Date.now() + minutes * 60_000);

  function setup(startsAt: Date, refunded = 1) {
    const runner = {
      runForShowtime: jest.fn((_showtimeId: number, work: (t: Transaction) => Promise<unknown>) => work(tx)),
    };
    const orders = { markRefunded: jest.fn().mockResolvedValue(refunded > 0) };
    const sales = { lockSeats: jest.fn(), recordSeatChange: jest.fn().mockResolvedValue(5) };
    const claims = { deleteOfOrder: jest.fn() };
    const show = { movieTitle: 'm', cinemaName: 'c', hallName: 'h', startsAt };
    const views = {
      requireOwn: jest.fn().mockResolvedValue({ order: order as unknown as Order, show }),
      toDto: jest.fn((view: { order: Order }) => Promise.resolve({ status: view.order.status })),
    };
    const payments = {
      ofOrder: jest.fn().mockResolvedValue([]),
      recordRefund: jest.fn(),
      latestOf: jest.fn().mockResolvedValue(new Map()),
    };
    const outbox = { record: jest.fn() };
    const config = { get: jest.fn().mockReturnValue(30) };
    const seatEvents = { publishAfterCommit: jest.fn() };
    const service = new OrderCancellationsService(
      runner as unknown as SaleTransactions,
      sales as unknown as ScheduleSalesService,
      orders as unknown as OrdersRepository,
      claims as unknown as SeatClaimsRepository,
      views as unknown as OrdersService,
      config as unknown as ConfigService<EnvironmentVariables, true>,
      seatEvents as unknown as SeatEventsService,
      payments as unknown as PaymentRecordsService,
      {} as PaymentProvidersService,
      {} as ProviderFollowUps,
      outbox as unknown as OutboxService,
    );
    return { service, runner, orders, sales, claims, outbox };
  }

  it('should refuse with 2007 inside the cutoff, without opening a transaction', async () => {
    const { service, runner } = setup(startingIn(29));
    await expect(service.refund(user, 1)).rejects.toMatchObject({ result: { code: 2007 } });
    expect(runner.runForShowtime).not.toHaveBeenCalled();
  });

  it('should refund before the cutoff: seats off the sold count, claims deleted, order.refunded recorded', async () => {
    const { service, sales, claims, outbox } = setup(startingIn(31));
    await expect(service.refund(user, 1)).resolves.toMatchObject({ status: 'refunded' });
    expect(sales.recordSeatChange).toHaveBeenCalledWith(tx, 3, -1);
    expect(claims.deleteOfOrder).toHaveBeenCalledWith(tx, 1);
    expect(outbox.record).toHaveBeenCalledWith(tx, [expect.objectContaining({ type: 'order.refunded', orderId: 1 })]);
  });

  it('should answer 2007 to the loser of two racing refunds and touch nothing', async () => {
    const { service, sales, claims, outbox } = setup(startingIn(120), 0);
    await expect(service.refund(user, 1)).rejects.toBeInstanceOf(AppException);
    expect(sales.recordSeatChange).not.toHaveBeenCalled();
    expect(claims.deleteOfOrder).not.toHaveBeenCalled();
    expect(outbox.record).not.toHaveBeenCalled();
  });
});
