import type { Queryable } from '@ticketing/common';

export type TicketStatus = 'available' | 'reserved' | 'sold' | 'withdrawn';

/** The index that keeps one live listing per (title, venue, start, code) (see migrations). */
export const ONE_CODE_PER_EVENT = 'tickets_one_code_per_event';

/**
 * A ticket as stored; the price is in integer cents. `venue` and `startsAt` are null only on
 * listings from the first release, which never asked for them. `code` and `buyerId` are private:
 * the views decide who sees the code.
 */
export interface TicketRecord {
  id: string;
  title: string;
  description: string | null;
  price: number;
  venue: string | null;
  startsAt: Date | null;
  code: string | null;
  userId: string;
  status: TicketStatus;
  orderId: string | null;
  /** The buyer of the order holding the ticket (reserved or sold), from order:created. */
  buyerId: string | null;
  version: number;
}

/** A ticket with its seller's name from the replica: null until that seller's event arrives. */
export interface TicketWithSeller extends TicketRecord {
  sellerName: string | null;
}

/** What a seller sets: the same fields create and replace a listing. Price in cents. */
export type TicketDetails = Pick<
  TicketRecord,
  'title' | 'description' | 'price' | 'venue' | 'startsAt' | 'code'
>;

export type TicketSort = 'newest' | 'soonest' | 'price' | '-price';

export interface TicketFilter {
  /** Case-insensitive substring of the title or the venue. */
  q?: string;
  /** One seller's listings in any status; without it, only available tickets not started yet. */
  userId?: string;
  /** Bounds of `startsAt`, both inclusive. */
  from?: Date;
  to?: Date;
  /** Bounds of the price in cents, both inclusive. */
  minPrice?: number;
  maxPrice?: number;
  sort: TicketSort;
  limit: number;
  offset: number;
}

const details = `t.id, t.title, t.description, t.price, t.venue, t.starts_at AS "startsAt", t.code,
  t.user_id AS "userId"`;
const columns = `${details}, t.status, t.order_id AS "orderId", t.buyer_id AS "buyerId", t.version`;
/** A reserved ticket whose hold has lapsed: free for the next buyer, whatever is still on its way. */
const lapsed = `(t.status = 'reserved' AND t.hold_expires_at < now())`;
/** What readers see: a lapsed hold reads as available, without its order or buyer. */
const shownColumns = `${details},
  CASE WHEN ${lapsed} THEN 'available' ELSE t.status END AS status,
  CASE WHEN ${lapsed} THEN NULL ELSE t.order_id END AS "orderId",
  CASE WHEN ${lapsed} THEN NULL ELSE t.buyer_id END AS "buyerId", t.version`;
const withSeller = `${shownColumns}, s.name AS "sellerName"
  FROM tickets t LEFT JOIN sellers s ON s.id = t.user_id`;

export async function insertTicket(
  db: Queryable,
  ticket: TicketDetails & Pick<TicketRecord, 'id' | 'userId'>,
): Promise<TicketRecord> {
  const { rows } = await db.query<TicketRecord>(
    `INSERT INTO tickets AS t (id, title, description, price, venue, starts_at, code, user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     RETURNING ${columns}`,
    [
      ticket.id,
      ticket.title,
      ticket.description,
      ticket.price,
      ticket.venue,
      ticket.startsAt,
      ticket.code,
      ticket.userId,
    ],
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

/**
 * Each ordering ends with the id, so rows that tie on the first key keep one order from page to
 * page. Each has an index (see migrations); `-price` reads the price index backwards.
 */
const ORDER_BY: Record<TicketSort, string> = {
  newest: 't.created_at DESC, t.id DESC',
  soonest: 't.starts_at, t.id',
  price: 't.price, t.id',
  '-price': 't.price DESC, t.id DESC',
};

/** One page of listings: the public list, or one seller's, filtered and sorted. */
export async function listTickets(
  db: Queryable,
  filter: TicketFilter,
): Promise<TicketWithSeller[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (filter.userId !== undefined) {
    where.push(`t.user_id = ${param(filter.userId)}`);
  } else {
    // Available, or reserved by a hold that has lapsed (few rows: a filter on the same index).
    // Read at query time: an event that has started leaves the list with no job to retire it.
    where.push(
      `t.status IN ('available', 'reserved')`,
      `(t.status = 'available' OR ${lapsed})`,
      `t.starts_at > now()`,
    );
  }
  if (filter.q) {
    const pattern = param(`%${escapeLike(filter.q)}%`);
    where.push(`(t.title ILIKE ${pattern} ESCAPE '\\' OR t.venue ILIKE ${pattern} ESCAPE '\\')`);
  }
  if (filter.from) where.push(`t.starts_at >= ${param(filter.from)}`);
  if (filter.to) where.push(`t.starts_at <= ${param(filter.to)}`);
  if (filter.minPrice !== undefined) where.push(`t.price >= ${param(filter.minPrice)}`);
  if (filter.maxPrice !== undefined) where.push(`t.price <= ${param(filter.maxPrice)}`);
  const { rows } = await db.query<TicketWithSeller>(
    `SELECT ${withSeller} WHERE ${where.join(' AND ')}
     ORDER BY ${ORDER_BY[filter.sort]}
     LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`,
    params,
  );
  return rows;
}

/** Replaces the editable fields and bumps the version. */
export async function updateTicketDetails(
  tx: Queryable,
  id: string,
  details: TicketDetails,
): Promise<TicketRecord> {
  const { rows } = await tx.query<TicketRecord>(
    `UPDATE tickets AS t SET title = $2, description = $3, price = $4, venue = $5, starts_at = $6,
       code = $7, version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING ${columns}`,
    [
      id,
      details.title,
      details.description,
      details.price,
      details.venue,
      details.startsAt,
      details.code,
    ],
  );
  return rows[0]!;
}

/**
 * Moves the ticket to a reservation state and bumps the version: reserved by an order (with its
 * buyer, and `holdExpiresAt`, when the hold lapses), sold to it, or back to free. Free means
 * withdrawn again if the seller withdrew it meanwhile, available otherwise.
 */
export async function setReservation(
  tx: Queryable,
  id: string,
  state:
    | { status: 'reserved'; orderId: string; buyerId: string; holdExpiresAt: Date }
    | { status: 'sold'; orderId: string; soldAt: Date }
    | { status: 'free'; orderId: null },
): Promise<TicketRecord> {
  const reserving = state.status === 'reserved';
  const { rows } = await tx.query<TicketRecord>(
    `UPDATE tickets AS t SET
       status = CASE WHEN $2::text <> 'free' THEN $2::text
                     WHEN withdrawn_at IS NOT NULL THEN 'withdrawn' ELSE 'available' END,
       order_id = $3::text,
       buyer_id = CASE WHEN $2::text = 'free' THEN NULL ELSE coalesce($4::text, buyer_id) END,
       hold_expires_at = $5, sold_at = $6, version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING ${columns}`,
    [
      id,
      state.status,
      state.orderId,
      reserving ? state.buyerId : null,
      reserving ? state.holdExpiresAt : null,
      state.status === 'sold' ? state.soldAt : null,
    ],
  );
  return rows[0]!;
}

/** Marks a free ticket withdrawn and bumps the version; the caller holds the row lock. */
export async function markWithdrawn(tx: Queryable, id: string): Promise<TicketRecord> {
  const { rows } = await tx.query<TicketRecord>(
    `UPDATE tickets AS t SET status = 'withdrawn', withdrawn_at = now(),
       version = version + 1, updated_at = now()
     WHERE id = $1 RETURNING ${columns}`,
    [id],
  );
  return rows[0]!;
}

/**
 * Withdraws every available listing of the seller in one statement and returns them (new
 * versions), oldest first, for their events. Reserved and sold ones are left to their orders.
 */
export async function withdrawAvailableOfSeller(
  tx: Queryable,
  sellerId: string,
): Promise<TicketRecord[]> {
  const { rows } = await tx.query<TicketRecord>(
    `WITH changed AS (
       UPDATE tickets SET status = 'withdrawn', withdrawn_at = now(),
         version = version + 1, updated_at = now()
       WHERE user_id = $1 AND status = 'available' RETURNING *
     )
     SELECT ${columns} FROM changed t ORDER BY t.created_at, t.id`,
    [sellerId],
  );
  return rows;
}

/**
 * Marks the seller's reserved listings as withdrawn once their hold ends: their status stays
 * `reserved` (the buyer's order stands), and a release sends them to `withdrawn` instead of back
 * on sale (see `setReservation`). Returns how many were marked.
 */
export async function withdrawReservedOfSellerOnRelease(
  tx: Queryable,
  sellerId: string,
): Promise<number> {
  const { rowCount } = await tx.query(
    `UPDATE tickets SET withdrawn_at = now(), updated_at = now()
     WHERE user_id = $1 AND status = 'reserved' AND withdrawn_at IS NULL`,
    [sellerId],
  );
  return rowCount;
}
