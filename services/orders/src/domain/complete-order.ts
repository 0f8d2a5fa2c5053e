import type { Database, Queryable } from '@ticketing/common';
import { lockOrder, updateOrderStatus, type OrderRecord } from '../data/order-repository.js';
import { OrderCompletedPublisher } from '../data/order-publishers.js';

const orderCompleted = new OrderCompletedPublisher();

/**
 * What `completeOrder` found: `cancelled` tells the caller (a successful charge) that the order
 * was cancelled meanwhile, so the money must go back.
 */
export type CompleteOrderResult =
  | { outcome: 'completed'; order: OrderRecord }
  | { outcome: 'already_completed'; order: OrderRecord }
  | { outcome: 'cancelled'; order: OrderRecord }
  | { outcome: 'not_found' };

/**
 * Marks a paid order completed (the ticket is sold for good) and records `order:completed`.
 * Only a created or awaiting-payment order completes; anything else is reported, not changed.
 * Give it a transaction handle (a listener's `tx`) to make it part of that transaction, or the
 * database to run it in one of its own.
 */
export async function completeOrder(
  db: Database | Queryable,
  orderId: string,
): Promise<CompleteOrderResult> {
  return inTransaction(db, async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order) return { outcome: 'not_found' };
    if (order.status === 'completed') return { outcome: 'already_completed', order };
    if (order.status === 'cancelled') return { outcome: 'cancelled', order };
    const completed = await updateOrderStatus(tx, order.id, 'completed');
    await orderCompleted.publish(tx, {
      id: completed.id,
      version: completed.version,
      ticket: { id: completed.ticket.id },
      paidAt: completed.paidAt!.toISOString(),
    });
    return { outcome: 'completed', order: completed };
  });
}

function inTransaction<T>(db: Database | Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return 'transaction' in db ? db.transaction(fn) : fn(db);
}
