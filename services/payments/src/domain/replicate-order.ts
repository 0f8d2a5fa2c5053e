import {
  applyInVersionOrder,
  type EventData,
  type Queryable,
  type Subjects,
} from '@ticketing/common';
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

/** Orders' change to `status`, version N over N-1 (`applyInVersionOrder`). */
export function applyOrderChange(
  tx: Queryable,
  change: { id: string; version: number; status: OrderStatus },
): Promise<'applied' | 'stale'> {
  return applyInVersionOrder({
    what: 'order',
    id: change.id,
    version: change.version,
    update: () => updateOrderFromPreviousVersion(tx, change),
    find: () => findOrder(tx, change.id),
  });
}
