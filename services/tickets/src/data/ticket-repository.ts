import type { Queryable } from '@ticketing/common';

export type TicketStatus = 'available' | 'reserved' | 'sold';

/** A ticket as stored; the price is in integer cents. */
export interface TicketRecord {
  id: string;
  title: string;
  description: string | null;
  price: number;
  userId: string;
  status: TicketStatus;
  orderId: string | null;
  version: number;
}

/** A ticket with its seller's name from the replica: null until that seller's event arrives. */
export interface TicketWithSeller extends TicketRecord {
  sellerName: string | null;
}

export interface TicketFilter {
  /** Case-insensitive substring of the title. */
  q?: string;
  /** One seller's listings in any status; without it, only available tickets. */
  userId?: string;
  limit: number;
  offset: number;
}

const columns = `t.id, t.title, t.description, t.price, t.user_id AS "userId", t.status,
  t.order_id AS "orderId", t.version`;
/** A reserved ticket whose hold has lapsed: free for the next buyer, whatever is still on its way. */
const lapsed = `(t.status = 'reserved' AND t.hold_expires_at < now())`;
/** What readers see: a lapsed hold reads as available, without its order. */
const shownColumns = `t.id, t.title, t.description, t.price, t.user_id AS "userId",
  CASE WHEN ${lapsed} THEN 'available' ELSE t.status END AS status,
  CASE WHEN ${lapsed} THEN NULL ELSE t.order_id END AS "orderId", t.version`;
const withSeller = `${shownColumns}, s.name AS "sellerName"
  FROM tickets t LEFT JOIN sellers s ON s.id = t.user_id`;

export async function insertTicket(
  db: Queryable,
  ticket: Pick<TicketRecord, 'id' | 'title' | 'description' | 'price' | 'userId'>,
): Promise<TicketRecord> {
  const { rows } = await db.query<TicketRecord>(
    `INSERT INTO tickets AS t (id, title, description, price, user_id) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${columns}`,
    [ticket.id, ticket.title, ticket.description, ticket.price, ticket.userId],
  );
  return rows[0]!;
}

export async function findTicket(db: Queryable, id: string): Promise<TicketWithSeller | undefined> {
  const { rows } = await db.query<TicketWithSeller>(`SELECT ${withSeller} WHERE t.id = $1`, [id]);
  return rows[0];
}

/** Reads the ticket and locks its row until the transaction ends, so changes to it serialize. */
export async function lockTicket(tx: Queryable, id: string): Promise<TicketRecord | undefined> {
  const { rows } = await tx.query<TicketRecord>(
    `SELECT ${columns} FROM tickets t WHERE t.id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

/** `%`, `_` and the escape character itself match literally. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

export async function listTickets(
  db: Queryable,
  filter: TicketFilter,
): Promise<TicketWithSeller[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.userId !== undefined) {
    params.push(filter.userId);
    where.push(`t.user_id = $${params.length}`);
  } else {
    where.push(`(t.status = 'available' OR ${lapsed})`);
  }
  if (filter.q) {
    params.push(`%${escapeLike(filter.q)}%`);
    where.push(`t.title ILIKE $${params.length} ESCAPE '\\'`);
  }
  params.push(filter.limit, filter.offset);
  const { rows } = await db.query<TicketWithSeller>(
    `SELECT ${withSeller} WHERE ${where.join(' AND ')}
     ORDER BY t.created_at DESC, t.id DESC
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return rows;
}

/** Replaces the editable fields and bumps the version. */
export async function updateTicketDetails(
  tx: Queryable,
  id: string,
  details: Pick<TicketRecord, 'title' | 'description' | 'price'>,
): Promise<TicketRecord> {
  const { rows } = await tx.query<TicketRecord>(
    `UPDATE tickets AS t SET title = $2, description = $3, price = $4,
       version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING ${columns}`,
    [id, details.title, details.description, details.price],
  );
  return rows[0]!;
}

/**
 * Moves the ticket to a reservation state (with its order, or none) and bumps the version;
 * `holdExpiresAt` is when a reservation lapses (kept only while reserved).
 */
export async function setReservation(
  tx: Queryable,
  id: string,
  state: { status: TicketStatus; orderId: string | null; holdExpiresAt?: Date },
): Promise<TicketRecord> {
  const { rows } = await tx.query<TicketRecord>(
    `UPDATE tickets AS t SET status = $2, order_id = $3, version = version + 1, updated_at = now(),
       hold_expires_at = $4
     WHERE id = $1 RETURNING ${columns}`,
    [id, state.status, state.orderId, state.status === 'reserved' ? state.holdExpiresAt : null],
  );
  return rows[0]!;
}
