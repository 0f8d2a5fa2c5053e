import { ForbiddenError, NotFoundError } from '@ticketing/common';
import type { OrderReplica } from '../data/order-replica-repository.js';

/**
 * 404 for an order not known here (or not yet: the replica may lag a moment behind orders, and
 * the client retries), then 403 for someone else's: the order of checks of API.md.
 */
export function ownOrder(order: OrderReplica | undefined, userId: string): OrderReplica {
  if (!order) throw new NotFoundError('Order not found');
  if (order.userId !== userId) throw new ForbiddenError('This order belongs to another user');
  return order;
}
