import type { Database } from '@ticketing/common';
import { markExpired } from '../data/expiration-repository.js';
import { OrderExpiredPublisher } from '../data/order-expired-publisher.js';

const orderExpired = new OrderExpiredPublisher();

/**
 * The order's window has ended: records order:expired in the outbox, in the transaction that
 * marks the order expired, so however often the job runs (a retry, a job run twice after a
 * crash, a second job for the same order), the event is recorded once. Orders decides what the
 * expiry means: an order completed or cancelled meanwhile is left as it is.
 */
export async function expireOrder(
  db: Database,
  order: { orderId: string; expiresAt: Date },
): Promise<'expired' | 'already_expired'> {
  return db.transaction(async (tx) => {
    if (!(await markExpired(tx, order))) return 'already_expired';
    await orderExpired.publish(tx, { orderId: order.orderId });
    return 'expired';
  });
}
