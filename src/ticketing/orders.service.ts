import { Injectable } from '@nestjs/common';
import * as QRCode from 'qrcode';
import { canManage } from '../catalog/cinema-access.service';
import { AppException } from '../common/app.exception';
import type { AuthUser } from '../common/decorators/auth.decorators';
import { Page, RawResponse } from '../common/envelope';
import { pageWindow } from '../common/pagination';
import { ResultCode } from '../common/result-code';
import { ListOrdersQueryDto } from './dto/list-orders.dto';
import { OrderDto, toOrderDto } from './dto/order.dto';
import { effectiveStatus } from './order-status';
import { OrderView, OrderViewsRepository } from './order-views.repository';
import { PaymentRecordsService } from '../payments/payment-records.service';

/** Reading orders: the owner's list and detail, staff access to one order, and the ticket's QR code. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly views: OrderViewsRepository,
    private readonly payments: PaymentRecordsService,
  ) {}

  async list(user: AuthUser, query: ListOrdersQueryDto): Promise<Page<OrderDto>> {
    const now = new Date();
    const [views, total] = await this.views.listByUser(user.id, { status: query.status, now }, pageWindow(query));
    const payments = await this.payments.latestOf(views.map((v) => v.order.id));
    return new Page(
      views.map((v) => toOrderDto(v.order, v.show, { isOwner: true, now }, payments.get(v.order.id))),
      total,
    );
  }

  /** The order as `viewer` sees it, with its latest payment. */
  async toDto(view: OrderView, viewer: { id: number }): Promise<OrderDto> {
    const payments = await this.payments.latestOf([view.order.id]);
    const isOwner = view.order.userId === viewer.id;
    return toOrderDto(view.order, view.show, { isOwner, now: new Date() }, payments.get(view.order.id));
  }

  /** The order as it is now, after a race changed it. */
  async reload(view: OrderView): Promise<OrderView> {
    return (await this.views.findView(view.order.id)) ?? view;
  }

  /** The owner, an admin, or the owner of the showtime's cinema; anyone else is told it does not exist. */
  async get(user: AuthUser, id: number): Promise<OrderDto> {
    const view = await this.views.findView(id);
    if (!view || (view.order.userId !== user.id && !canManage(user, { ownerId: view.cinemaOwnerId }))) {
      throw new AppException(ResultCode.NotFound, 'order not found');
    }
    return this.toDto(view, user);
  }

  async qrCode(user: AuthUser, id: number, format: 'png' | 'svg' = 'png'): Promise<RawResponse> {
    const { order } = await this.requireOwn(user, id);
    if (effectiveStatus(order, new Date()) !== 'paid' || !order.ticketCode) {
      throw new AppException(ResultCode.OrderNotPayable, 'only a paid order has a ticket to show');
    }
    const headers = { 'Cache-Control': 'private, no-store' };
    if (format === 'svg') {
      const svg = await QRCode.toString(order.ticketCode, { type: 'svg', margin: 2 });
      return new RawResponse(svg, 'image/svg+xml; charset=utf-8', headers);
    }
    const png = await QRCode.toBuffer(order.ticketCode, { type: 'png', margin: 2, width: 320 });
    return new RawResponse(png, 'image/png', headers);
  }

  /** Owner-only actions: another user's order answers 1014, as if it did not exist. */
  async requireOwn(user: AuthUser, id: number): Promise<OrderView> {
    const view = await this.views.findView(id);
    if (!view || view.order.userId !== user.id) throw new AppException(ResultCode.NotFound, 'order not found');
    return view;
  }
}
