import { ConflictError, ownOrder, type Database, type Queryable } from '@ticketing/common';
import {
  cancelOrderRow,
  lockOrder,
  type CancelReason,
  type OrderRecord,
} from '../data/order-repository.js';
import { OrderCancelledPublisher } from '../data/order-publishers.js';
import { toPublicOrder, type PublicOrder } from './order-schemas.js';

const orderCancelled = new OrderCancelledPublisher();

/** The buyer gives the ticket back. Cancelling twice is harmless: no change, no second event. */
export async function cancelOrder(
  db: Database,
  userId: string,
  orderId: string,
): Promise<PublicOrder> {
  return db.transaction(async (tx) => {
    const order = ownOrder(await lockOrder(tx, orderId), userId);
    if (order.status === 'cancelled') return toPublicOrder(order);
    if (order.status === 'completed') {
      throw new ConflictError('Order is completed and cannot be cancelled');
    }
    return toPublicOrder(await releaseHold(tx, order, 'buyer'));
  });
}

/**
 * Cancels an order that holds its ticket (created or awaiting payment) for `reason`, kept with
 * the order for ever, and records `order:cancelled`. The caller holds the order's row lock and
 * has checked its status.
 */
export async function releaseHold(
  tx: Queryable,
  order: OrderRecord,
  reason: CancelReason,
): Promise<OrderRecord> {
  const cancelled = await cancelOrderRow(tx, order.id, reason);
  await orderCancelled.publish(tx, {
    id: cancelled.id,
    version: cancelled.version,
    ticket: { id: cancelled.ticket.id },
    reason,
  });
  return cancelled;
}
