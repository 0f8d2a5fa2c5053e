import type { Database, Queryable, Scheduler } from '@ticketing/common';
import { findExpiration, insertExpiration } from '../data/expiration-repository.js';

export interface NewOrder {
  orderId: string;
  expiresAt: Date;
}

/** Remembers a new order's window, inside the transaction that records its order:created. */
export async function recordExpiration(tx: Queryable, order: NewOrder): Promise<void> {
  await insertExpiration(tx, order);
}

/**
 * Arms the order's expiry at its `expiresAt`, unless it has expired already. Scheduling is
 * idempotent per order id, so calling this again for an order (a redelivered event) is harmless.
 * `justRecorded`: the caller's transaction recorded the order just now, so it cannot have
 * expired and its stored window is `order`'s; the lookup is skipped.
 */
export async function scheduleExpiration(
  db: Database,
  scheduler: Scheduler,
  order: NewOrder,
  { justRecorded = false } = {},
): Promise<void> {
  if (justRecorded) return scheduler.schedule(order.orderId, order.expiresAt);
  const known = await findExpiration(db, order.orderId);
  if (known?.expiredAt) return;
  await scheduler.schedule(order.orderId, known?.expiresAt ?? order.expiresAt);
}
