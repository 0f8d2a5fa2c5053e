import { ForbiddenError, NotFoundError } from '../errors/http-errors.js';

/**
 * The order if `userId` placed it: 404 "Order not found" when there is none (in payments also
 * when its replica has not heard of it yet — the client retries), then 403 for someone else's,
 * in that order, as API.md's Orders and Payments sections say. Works on any record that names
 * its buyer (orders' orders, payments' order replica).
 */
export function ownOrder<O extends { userId: string }>(order: O | undefined, userId: string): O {
  if (!order) throw new NotFoundError('Order not found');
  if (order.userId !== userId) throw new ForbiddenError('This order belongs to another user');
  return order;
}
