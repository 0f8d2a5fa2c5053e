import { ownOrder, type Database } from '@ticketing/common';
import { listChargesOfOrder } from '../data/charge-repository.js';
import { findOrder } from '../data/order-replica-repository.js';
import { toPublicCharge, type PublicCharge } from './payment-schemas.js';

/** The caller's charges for one of their orders, newest first. */
export async function listChargesOfMyOrder(
  db: Database,
  userId: string,
  orderId: string,
): Promise<PublicCharge[]> {
  ownOrder(await findOrder(db, orderId), userId);
  return (await listChargesOfOrder(db, orderId, userId)).map(toPublicCharge);
}
