import { Listener, Subjects, logger, type EventData, type Queryable } from '@ticketing/common';
import { lockOrder } from '../data/order-repository.js';
import { releaseHold } from '../domain/cancel-order.js';

type OrderExpired = typeof Subjects.OrderExpired;

/**
 * The order's reservation window has ended: an order still holding its ticket (created, or
 * awaiting payment) is cancelled, which records order:cancelled so tickets frees the ticket and
 * payments refunds a charge that lands too late. A completed order is sold for good and a
 * cancelled one was released already: both are left as they are, with no second event.
 *
 * The expiration service is the clock of the window: its word is taken as it comes, without
 * comparing `expiresAt` to this database's clock, so a few milliseconds of skew between hosts
 * never leave an order uncancelled.
 */
export class OrderExpiredListener extends Listener<OrderExpired> {
  readonly subject = Subjects.OrderExpired;

  async onMessage(data: EventData<OrderExpired>, tx: Queryable): Promise<void> {
    const order = await lockOrder(tx, data.orderId);
    if (!order) {
      // Orders made every order the expiration service knows of: nothing to do but say so.
      logger.warn({ orderId: data.orderId }, 'order:expired for an unknown order; ignored');
      return;
    }
    if (order.status === 'completed' || order.status === 'cancelled') return;
    await releaseHold(tx, order, 'expired');
  }
}
