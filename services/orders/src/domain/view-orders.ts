import { ownOrder, type Database, type Page } from '@ticketing/common';
import { findOrder, listOrdersOfUser } from '../data/order-repository.js';
import { toPublicOrder, type PublicOrder } from './order-schemas.js';

/** A page of the caller's orders, newest first. */
export async function listMyOrders(
  db: Database,
  userId: string,
  page: Page,
): Promise<PublicOrder[]> {
  return (await listOrdersOfUser(db, userId, page)).map(toPublicOrder);
}

export async function showMyOrder(
  db: Database,
  userId: string,
  orderId: string,
): Promise<PublicOrder> {
  return toPublicOrder(ownOrder(await findOrder(db, orderId), userId));
}
