import { ForbiddenError, NotFoundError } from '@ticketing/common';
import type { OrderRecord } from '../data/order-repository.js';

/** 404 for an unknown order, then 403 for someone else's: the order of checks of API.md. */
export function ownOrder(order: OrderRecord | undefined, userId: string): OrderRecord {
  if (!order) throw new NotFoundError('Order not found');
  if (order.userId !== userId) throw new ForbiddenError('This order belongs to another user');
  return order;
}
