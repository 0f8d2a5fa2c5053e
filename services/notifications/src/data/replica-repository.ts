import type { Queryable } from '@ticketing/common';

/** A user as this service knows them: whom to address, and where to mail. */
export interface UserReplica {
  id: string;
  name: string;
  email: string | null;
}

export interface TicketReplica {
  id: string;
  title: string;
  venue: string | null;
  startsAt: Date | null;
  sellerId: string;
}

export type OrderState = 'created' | 'completed' | 'cancelled';

export interface OrderReplica {
  id: string;
  buyerId: string;
  ticketId: string;
  /** The price when ordered, in cents. */
  price: number;
  expiresAt: Date;
  status: OrderState;
  cancelReason: string | null;
  remindAt: Date | null;
  remindedAt: Date | null;
}

export interface ChargeReplica {
  id: string;
  orderId: string;
  /** In cents. */
  amount: number;
  last4: string | null;
}

/** Keeps the newest version of a user; an older or repeated version changes nothing. */
export async function upsertUser(
  tx: Queryable,
  user: { id: string; name: string; email?: string; version: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO users (id, name, email, version) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE
       SET name = excluded.name, email = COALESCE(excluded.email, users.email),
           version = excluded.version
       WHERE excluded.version > users.version`,
    [user.id, user.name, user.email ?? null, user.version],
  );
}

export async function findUser(db: Queryable, id: string): Promise<UserReplica | undefined> {
  const { rows } = await db.query<UserReplica>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** Keeps the newest version of a ticket; an older or repeated version changes nothing. */
export async function upsertTicket(
  tx: Queryable,
  ticket: TicketReplica & { version: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO tickets (id, title, venue, starts_at, seller_id, version)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE
       SET title = excluded.title, venue = excluded.venue, starts_at = excluded.starts_at,
           seller_id = excluded.seller_id, version = excluded.version
       WHERE excluded.version > tickets.version`,
    [ticket.id, ticket.title, ticket.venue, ticket.startsAt, ticket.sellerId, ticket.version],
  );
}

export async function findTicket(db: Queryable, id: string): Promise<TicketReplica | undefined> {
  const { rows } = await db.query<TicketReplica>(
    `SELECT id, title, venue, starts_at AS "startsAt", seller_id AS "sellerId"
     FROM tickets WHERE id = $1`,
    [id],
  );
  return rows[0];
}

const ORDER_COLUMNS = `id, buyer_id AS "buyerId", ticket_id AS "ticketId", price,
  expires_at AS "expiresAt", status, cancel_reason AS "cancelReason",
  remind_at AS "remindAt", reminded_at AS "remindedAt"`;

/** Records a new order; one known already (a second order:created) is left as it is. */
export async function insertOrder(
  tx: Queryable,
  order: Pick<OrderReplica, 'id' | 'buyerId' | 'ticketId' | 'price' | 'expiresAt' | 'remindAt'>,
): Promise<void> {
  await tx.query(
    `INSERT INTO orders (id, buyer_id, ticket_id, price, expires_at, status, remind_at)
     VALUES ($1, $2, $3, $4, $5, 'created', $6) ON CONFLICT (id) DO NOTHING`,
    [order.id, order.buyerId, order.ticketId, order.price, order.expiresAt, order.remindAt],
  );
}

/**
 * The order, its row locked until the transaction ends: the listeners that join an order's
 * completion with its charge take this lock first, so whichever commits second sees the first.
 */
export async function lockOrder(tx: Queryable, id: string): Promise<OrderReplica | undefined> {
  const { rows } = await tx.query<OrderReplica>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

/** Ends an open order (completed or cancelled); an order that has ended already is kept. */
export async function endOrder(
  tx: Queryable,
  id: string,
  status: 'completed' | 'cancelled',
  cancelReason: string | null = null,
): Promise<void> {
  await tx.query(
    `UPDATE orders SET status = $2, cancel_reason = $3 WHERE id = $1 AND status = 'created'`,
    [id, status, cancelReason],
  );
}

export async function markReminded(tx: Queryable, id: string): Promise<void> {
  await tx.query('UPDATE orders SET reminded_at = now() WHERE id = $1 AND reminded_at IS NULL', [
    id,
  ]);
}

/**
 * Reminders still to send, earliest first: orders still open whose reminder has not been handled.
 * An order paid or cancelled leaves this list by its status, which is how its reminder is dropped.
 */
export async function pendingReminders(
  db: Queryable,
  limit: number,
): Promise<Array<{ orderId: string; remindAt: Date }>> {
  const { rows } = await db.query<{ orderId: string; remindAt: Date }>(
    `SELECT id AS "orderId", remind_at AS "remindAt" FROM orders
     WHERE status = 'created' AND remind_at IS NOT NULL AND reminded_at IS NULL
     ORDER BY remind_at LIMIT $1`,
    [limit],
  );
  return rows;
}

export async function insertCharge(tx: Queryable, charge: ChargeReplica): Promise<void> {
  await tx.query(
    `INSERT INTO charges (id, order_id, amount, last4) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO NOTHING`,
    [charge.id, charge.orderId, charge.amount, charge.last4],
  );
}

/** The order's charge (the newest, should payments ever report two). */
export async function findCharge(db: Queryable, orderId: string): Promise<ChargeReplica | undefined> {
  const { rows } = await db.query<ChargeReplica>(
    `SELECT id, order_id AS "orderId", amount, last4 FROM charges WHERE order_id = $1
     ORDER BY id DESC LIMIT 1`,
    [orderId],
  );
  return rows[0];
}
