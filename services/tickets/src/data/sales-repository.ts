import type { Queryable } from '@ticketing/common';

/**
 * One sold ticket of a seller: what was sold, to whom (the buyer's id from order:created, their
 * public name from the users replica, null until that user's event arrives), for how much
 * (cents: a ticket's price cannot change once reserved, so it is what the buyer paid) and when
 * (order:completed's paidAt).
 */
export interface SaleRecord {
  ticketId: string;
  title: string;
  venue: string | null;
  startsAt: Date | null;
  orderId: string;
  buyerId: string;
  buyerName: string | null;
  amount: number;
  soldAt: Date;
}

/**
 * A page of the seller's sales, newest sale first, the ticket id breaking ties so that pages
 * never repeat or skip; read from the `tickets_sales_newest` index.
 */
export async function listSalesOfSeller(
  db: Queryable,
  sellerId: string,
  page: { limit: number; offset: number },
): Promise<SaleRecord[]> {
  const { rows } = await db.query<SaleRecord>(
    `SELECT t.id AS "ticketId", t.title, t.venue, t.starts_at AS "startsAt",
            t.order_id AS "orderId", t.buyer_id AS "buyerId", b.name AS "buyerName",
            t.price AS amount, t.sold_at AS "soldAt"
     FROM tickets t LEFT JOIN sellers b ON b.id = t.buyer_id
     WHERE t.user_id = $1 AND t.status = 'sold'
     ORDER BY t.sold_at DESC, t.id DESC
     LIMIT $2 OFFSET $3`,
    [sellerId, page.limit, page.offset],
  );
  return rows;
}
