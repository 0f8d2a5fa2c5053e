import type { Queryable } from '@ticketing/common';

/** Remembers that an order is over; repeating it is harmless. */
export async function recordCancelledOrder(
  tx: Queryable,
  orderId: string,
  ticketId: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO cancelled_orders (order_id, ticket_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
    [orderId, ticketId],
  );
}

export async function isOrderCancelled(tx: Queryable, orderId: string): Promise<boolean> {
  const { rows } = await tx.query('SELECT 1 FROM cancelled_orders WHERE order_id = $1', [orderId]);
  return rows.length > 0;
}
