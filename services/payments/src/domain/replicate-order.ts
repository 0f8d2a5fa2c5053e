import { OutOfOrderError, type EventData, type Queryable, type Subjects } from '@ticketing/common';
import {
  findOrder,
  insertOrder,
  updateOrderFromPreviousVersion,
  type OrderStatus,
} from '../data/order-replica-repository.js';

/** A new order enters the replica; one already there is left as it is. */
export async function recordNewOrder(
  tx: Queryable,
  order: EventData<typeof Subjects.OrderCreated>,
): Promise<'applied' | 'already_known'> {
  const inserted = await insertOrder(tx, {
    id: order.id,
    userId: order.userId,
    ticketId: order.ticket.id,
    price: order.ticket.price,
    status: order.status,
    expiresAt: new Date(order.expiresAt),
    version: order.version,
  });
  return inserted ? 'applied' : 'already_known';
}

/**
 * Applies orders' change to `status` at version N only over N-1. A version the replica already
 * has (or passed) is stale and ignored; one that skips ahead, or an order not known yet, came
 * too early: OutOfOrderError leaves it unacknowledged so the bus brings it back later.
 */
export async function applyOrderChange(
  tx: Queryable,
  change: { id: string; version: number; status: OrderStatus },
): Promise<'applied' | 'stale'> {
  if (await updateOrderFromPreviousVersion(tx, change)) return 'applied';
  const held = await findOrder(tx, change.id);
  if (held && held.version >= change.version) return 'stale';
  throw new OutOfOrderError(
    `order ${change.id} version ${change.version} arrived before version ${change.version - 1} ` +
      `(replica holds ${held ? `version ${held.version}` : 'nothing'})`,
  );
}
