import { OUTBOX_INSERT, outboxParams, type EventEnvelope, type Queryable } from '@ticketing/common';
import type { TicketReplica } from './ticket-replica-repository.js';

export type OrderStatus = 'created' | 'awaiting_payment' | 'completed' | 'cancelled';

/** Why an order was cancelled (API.md v2): its buyer, its window's end, or a suspension. */
export type CancelReason = 'buyer' | 'expired' | 'suspended';

/** Statuses that hold the ticket: at most one order per ticket is in one of them. */
export const HOLDING_STATUSES: readonly OrderStatus[] = ['created', 'awaiting_payment', 'completed'];

/** The index that enforces one holding order per ticket (see migrations). */
export const ONE_ACTIVE_ORDER_PER_TICKET = 'orders_one_active_per_ticket';

/** The index that numbers a buyer's unpaid orders, so they never exceed the cap (see migrations). */
export const ONE_UNPAID_ORDER_PER_SLOT = 'orders_one_unpaid_per_slot';

/** An order with the ticket it is for; the ticket's `price` is in cents. */
export interface OrderRecord {
  id: string;
  userId: string;
  status: OrderStatus;
  expiresAt: Date;
  version: number;
  createdAt: Date;
  /** Set when, and only when, the status is `cancelled`. */
  cancelReason: CancelReason | null;
  /** When the order was paid: set when, and only when, the status is `completed`. */
  paidAt: Date | null;
  ticket: {
    id: string;
    title: string;
    price: number;
    venue: string | null;
    startsAt: Date | null;
  };
}

interface OrderRow extends Omit<OrderRecord, 'ticket'> {
  ticketId: string;
  ticketTitle: string;
  ticketPrice: number;
  ticketVenue: string | null;
  ticketStartsAt: Date | null;
}

const toRecord = ({
  ticketId,
  ticketTitle,
  ticketPrice,
  ticketVenue,
  ticketStartsAt,
  ...order
}: OrderRow): OrderRecord => ({
  ...order,
  ticket: {
    id: ticketId,
    title: ticketTitle,
    price: ticketPrice,
    venue: ticketVenue,
    startsAt: ticketStartsAt,
  },
});

/** Orders joined with their ticket; `source` is the orders table or a CTE returning its rows. */
const selectFrom = (source: string) => `
  SELECT o.id, o.user_id AS "userId", o.status, o.expires_at AS "expiresAt", o.version,
         o.created_at AS "createdAt", o.cancel_reason AS "cancelReason", o.paid_at AS "paidAt",
         t.id AS "ticketId", t.title AS "ticketTitle",
         t.price AS "ticketPrice", t.venue AS "ticketVenue", t.starts_at AS "ticketStartsAt"
  FROM ${source} o JOIN tickets t ON t.id = o.ticket_id`;


/** What deciding on a reservation needs: the database's clock, the ticket, its holding order. */
export interface ReservationView {
  now: Date;
  ticket: TicketReplica | undefined;
  holder: OrderRecord | undefined;
}

/**
 * Reads, in one statement and without locks, the database's time, the ticket and the order
 * holding it (if any). Unknown ticket: `ticket` and `holder` are undefined.
 */
export async function readReservation(db: Queryable, ticketId: string): Promise<ReservationView> {
  const { rows } = await db.query<
    Partial<OrderRow> & {
      now: Date;
      sellerId: string | null;
      ticketVersion: number | null;
      ticketStatus: TicketReplica['status'] | null;
    }
  >(
    `SELECT now() AS now, t.id AS "ticketId", t.title AS "ticketTitle", t.price AS "ticketPrice",
            t.user_id AS "sellerId", t.version AS "ticketVersion", t.venue AS "ticketVenue",
            t.starts_at AS "ticketStartsAt", t.status AS "ticketStatus",
            o.id, o.user_id AS "userId", o.status, o.expires_at AS "expiresAt", o.version,
            o.created_at AS "createdAt"
     FROM (SELECT 1) AS one
     LEFT JOIN tickets t ON t.id = $1
     LEFT JOIN orders o ON o.ticket_id = t.id AND o.status = ANY($2::text[])`,
    [ticketId, HOLDING_STATUSES],
  );
  const row = rows[0]!;
  const ticket = row.ticketId
    ? {
        id: row.ticketId,
        title: row.ticketTitle!,
        price: row.ticketPrice!,
        userId: row.sellerId!,
        venue: row.ticketVenue ?? null,
        startsAt: row.ticketStartsAt ?? null,
        status: row.ticketStatus!,
        version: row.ticketVersion!,
      }
    : undefined;
  const holder = row.id ? toRecord(row as OrderRow) : undefined;
  return { now: row.now, ticket, holder };
}

/**
 * Inserts a new order (status `created`, version 0) and records `event` in the outbox, in one
 * statement: both or neither. The order takes the buyer's lowest free unpaid slot (1 to
 * `maxUnpaid`); when the buyer already has `maxUnpaid` unpaid orders nothing is inserted and the
 * answer is undefined. Throws the unique violation of ONE_ACTIVE_ORDER_PER_TICKET when another
 * order holds the ticket, or of ONE_UNPAID_ORDER_PER_SLOT when a parallel order of the same
 * buyer took the slot first (try again: the slot taken is then seen).
 */
export async function insertOrderRecordingEvent(
  db: Queryable,
  order: { id: string; userId: string; ticketId: string; expiresAt: Date },
  event: EventEnvelope,
  maxUnpaid: number,
): Promise<OrderRecord | undefined> {
  const { rows } = await db.query<OrderRow>(
    `WITH unpaid AS (
       SELECT hold_slot FROM orders
       WHERE user_id = $2 AND status IN ('created', 'awaiting_payment')
     ), slot AS (
       SELECT s FROM generate_series(1, $8::int) s
       WHERE (SELECT count(*) FROM unpaid) < $8::int
         AND s NOT IN (SELECT hold_slot FROM unpaid WHERE hold_slot IS NOT NULL)
       ORDER BY s LIMIT 1
     ), changed AS (
       INSERT INTO orders (id, user_id, ticket_id, status, expires_at, hold_slot)
       SELECT $1::uuid, $2::text, $3::uuid, 'created', $4::timestamptz, s FROM slot RETURNING *
     ), recorded AS (
       ${OUTBOX_INSERT} SELECT $5::text, $6::text, $7::jsonb FROM changed
     ) ${selectFrom('changed')}`,
    [order.id, order.userId, order.ticketId, order.expiresAt, ...outboxParams(event), maxUnpaid],
  );
  return rows[0] && toRecord(rows[0]);
}

/** When the soonest of the buyer's unpaid orders lapses (undefined when none is unpaid). */
export async function soonestUnpaidExpiry(
  db: Queryable,
  userId: string,
): Promise<{ expiresAt: Date; now: Date } | undefined> {
  const { rows } = await db.query<{ expiresAt: Date | null; now: Date }>(
    `SELECT min(expires_at) AS "expiresAt", now() AS now FROM orders
     WHERE user_id = $1 AND status IN ('created', 'awaiting_payment')`,
    [userId],
  );
  const row = rows[0]!;
  return row.expiresAt ? { expiresAt: row.expiresAt, now: row.now } : undefined;
}

/**
 * Sets the status and bumps the version; the caller holds the row lock (`lockOrder`). An order
 * that becomes `completed` is stamped paid now, by the database's clock.
 */
export async function updateOrderStatus(
  db: Queryable,
  id: string,
  status: OrderStatus,
): Promise<OrderRecord> {
  const { rows } = await db.query<OrderRow>(
    `WITH changed AS (
       UPDATE orders SET status = $2, version = version + 1,
         paid_at = CASE WHEN $2 = 'completed' THEN now() ELSE paid_at END
       WHERE id = $1 RETURNING *
     ) ${selectFrom('changed')}`,
    [id, status],
  );
  return toRecord(rows[0]!);
}

/** Cancels the order for `reason` and bumps the version; the caller holds the row lock. */
export async function cancelOrderRow(
  db: Queryable,
  id: string,
  reason: CancelReason,
): Promise<OrderRecord> {
  const { rows } = await db.query<OrderRow>(
    `WITH changed AS (
       UPDATE orders SET status = 'cancelled', cancel_reason = $2, version = version + 1
       WHERE id = $1 RETURNING *
     ) ${selectFrom('changed')}`,
    [id, reason],
  );
  return toRecord(rows[0]!);
}

export async function findOrder(db: Queryable, id: string): Promise<OrderRecord | undefined> {
  const { rows } = await db.query<OrderRow>(`${selectFrom('orders')} WHERE o.id = $1`, [id]);
  return rows[0] && toRecord(rows[0]);
}

/** Reads the order and holds its row lock until the transaction ends. */
export async function lockOrder(tx: Queryable, id: string): Promise<OrderRecord | undefined> {
  const { rows } = await tx.query<OrderRow>(
    `${selectFrom('orders')} WHERE o.id = $1 FOR UPDATE OF o`,
    [id],
  );
  return rows[0] && toRecord(rows[0]);
}

/**
 * The order holding the ticket, if any, locked. Under READ COMMITTED a row changed meanwhile is
 * read again after its lock is granted, so the status seen is the committed one.
 */
export async function lockHoldingOrder(
  tx: Queryable,
  ticketId: string,
): Promise<OrderRecord | undefined> {
  const { rows } = await tx.query<OrderRow>(
    `${selectFrom('orders')} WHERE o.ticket_id = $1 AND o.status = ANY($2::text[]) FOR UPDATE OF o`,
    [ticketId, HOLDING_STATUSES],
  );
  return rows[0] && toRecord(rows[0]);
}

export async function findHoldingOrder(
  db: Queryable,
  ticketId: string,
): Promise<OrderRecord | undefined> {
  const { rows } = await db.query<OrderRow>(
    `${selectFrom('orders')} WHERE o.ticket_id = $1 AND o.status = ANY($2::text[])`,
    [ticketId, HOLDING_STATUSES],
  );
  return rows[0] && toRecord(rows[0]);
}

/**
 * A page of a user's orders, newest first (the id breaks ties, so pages never repeat or skip),
 * read from the `orders_by_user` index.
 */
export async function listOrdersOfUser(
  db: Queryable,
  userId: string,
  page: { limit: number; offset: number },
): Promise<OrderRecord[]> {
  const { rows } = await db.query<OrderRow>(
    `${selectFrom('orders')} WHERE o.user_id = $1 ORDER BY o.created_at DESC, o.id DESC
     LIMIT $2 OFFSET $3`,
    [userId, page.limit, page.offset],
  );
  return rows.map(toRecord);
}

/** The user's orders still holding a ticket unpaid (created, awaiting payment), locked, by id. */
export async function lockUnpaidOrdersOfUser(
  tx: Queryable,
  userId: string,
): Promise<OrderRecord[]> {
  const { rows } = await tx.query<OrderRow>(
    `${selectFrom('orders')} WHERE o.user_id = $1 AND o.status IN ('created', 'awaiting_payment')
     ORDER BY o.id FOR UPDATE OF o`,
    [userId],
  );
  return rows.map(toRecord);
}
