import type { EventType, NewEvent } from '../outbox/outbox.service';
import type { PaymentRecord } from '../payments/payment-records.service';
import { toOrderDto } from './dto/order.dto';
import type { Order } from './entities/order.entity';
import type { OrderView } from './order-views.repository';

/**
 * The event a change of `order` reports (CONTRACT section 14): the order object as the change left
 * it, with its ticket code whenever it has one (on `order.refunded` too, so that a door system can
 * void it), which the API itself shows only to the owner of a paid order.
 */
export function orderEvent(
  type: EventType,
  view: OrderView,
  order: Order,
  payment: PaymentRecord | null | undefined,
  now: Date,
): NewEvent {
  const data = {
    ...toOrderDto(order, view.show, { isOwner: true, now }, payment ?? null),
    ticketCode: order.ticketCode,
  };
  return { type, cinemaId: view.cinemaId, userId: order.userId, orderId: order.id, data };
}
