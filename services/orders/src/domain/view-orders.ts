import { ownOrder, type Database } from '@ticketing/common';
import { findOrder, listOrdersOfUser } from '../data/order-repository.js';
import { toPublicOrder, type PublicOrder } from './order-schemas.js';

/** The caller's orders, newest first. */
export async function listMyOrders(db: Database, userId: string): Promise<PublicOrder[]> {
  return (await listOrdersOfUser(db, userId)).map(toPublicOrder);
}

export async function showMyOrder(
  db: Database,
  userId: string,
  orderId: string,
): Promise<PublicOrder> {
  return toPublicOrder(ownOrder(await findOrder(db, orderId), userId));
}
