import type { Queryable } from '@ticketing/common';

export type OrderStatus = 'created' | 'awaiting_payment' | 'completed' | 'cancelled';

/** An order as the payments service knows it; `price` is in cents. */
export interface OrderReplica {
  id: string;
  userId: string;
  ticketId: string;
  price: number;
  status: OrderStatus;
  expiresAt: Date;
  version: number;
}

const columns = `id, user_id AS "userId", ticket_id AS "ticketId", price, status,
  expires_at AS "expiresAt", version`;

/** Stores an order seen for the first time; false when it is already here (no change made). */
export async function insertOrder(db: Queryable, order: OrderReplica): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO orders (id, user_id, ticket_id, price, status, expires_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [
      order.id,
      order.userId,
      order.ticketId,
      order.price,
      order.status,
      order.expiresAt,
      order.version,
    ],
  );
  return rowCount > 0;
}

/**
 * Moves the replica to `version` with orders' new status, only from the version just before it;
 * false otherwise (nothing changed).
 */
export async function updateOrderFromPreviousVersion(
  db: Queryable,
  change: { id: string; version: number; status: OrderStatus },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE orders SET status = $3, version = $2 WHERE id = $1 AND version = $2 - 1`,
    [change.id, change.version, change.status],
  );
  return rowCount > 0;
}

/**
 * Sets the local status (awaiting_payment while a charge is in flight, back to created after a
 * decline, completed once paid) without touching the version, which stays orders'. Only from
 * one of `from`, so a cancellation that came meanwhile is never overwritten.
 */
export async function setLocalOrderStatus(
  db: Queryable,
  id: string,
  status: OrderStatus,
  from: readonly OrderStatus[],
): Promise<void> {
  await db.query(`UPDATE orders SET status = $2 WHERE id = $1 AND status = ANY($3::text[])`, [
    id,
    status,
    from,
  ]);
}

export async function findOrder(db: Queryable, id: string): Promise<OrderReplica | undefined> {
  const { rows } = await db.query<OrderReplica>(`SELECT ${columns} FROM orders WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/**
 * Reads the order and holds its row lock until the transaction ends: every decision about
 * paying an order, and every change of its status, goes through this lock.
 */
export async function lockOrder(tx: Queryable, id: string): Promise<OrderReplica | undefined> {
  const { rows } = await tx.query<OrderReplica>(
    `SELECT ${columns} FROM orders WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}
