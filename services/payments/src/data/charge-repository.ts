import type { Queryable } from '@ticketing/common';

export type ChargeStatus = 'created' | 'failed' | 'completed';

/** The index that allows one charge in flight or completed per order (see migrations). */
export const ONE_LIVE_CHARGE_PER_ORDER = 'charges_one_live_per_order';

/** A charge; `amount` is in cents. */
export interface ChargeRecord {
  id: string;
  orderId: string;
  userId: string;
  status: ChargeStatus;
  amount: number;
  currency: string;
  /** What the buyer paid with; null once the charge is settled. */
  source: string | null;
  idempotencyKey: string;
  providerId: string | null;
  refundId: string | null;
  errorMessage: string | null;
  /** The card's last four digits, once the provider has told them. */
  last4: string | null;
  createdAt: Date;
}

/** The columns of a ChargeRecord, read from the charges table under the name `t`. */
const columnsOf = (t: string) => `${t}.id, ${t}.order_id AS "orderId", ${t}.user_id AS "userId",
  ${t}.status, ${t}.amount, ${t}.currency, ${t}.source, ${t}.idempotency_key AS "idempotencyKey",
  ${t}.provider_id AS "providerId", ${t}.refund_id AS "refundId",
  ${t}.error_message AS "errorMessage", ${t}.last4, ${t}.created_at AS "createdAt"`;

const columns = columnsOf('charges');

export async function insertCharge(
  db: Queryable,
  charge: Pick<
    ChargeRecord,
    'id' | 'orderId' | 'userId' | 'amount' | 'currency' | 'source' | 'idempotencyKey'
  >,
): Promise<ChargeRecord> {
  const { rows } = await db.query<ChargeRecord>(
    `INSERT INTO charges (id, order_id, user_id, status, amount, currency, source, idempotency_key)
     VALUES ($1, $2, $3, 'created', $4, $5, $6, $7) RETURNING ${columns}`,
    [
      charge.id,
      charge.orderId,
      charge.userId,
      charge.amount,
      charge.currency,
      charge.source,
      charge.idempotencyKey,
    ],
  );
  return rows[0]!;
}

export async function findCharge(db: Queryable, id: string): Promise<ChargeRecord | undefined> {
  const { rows } = await db.query<ChargeRecord>(`SELECT ${columns} FROM charges WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/** The order's charge that is in flight or has taken the money, if any. */
export async function findLiveCharge(
  db: Queryable,
  orderId: string,
): Promise<ChargeRecord | undefined> {
  const { rows } = await db.query<ChargeRecord>(
    `SELECT ${columns} FROM charges WHERE order_id = $1 AND status IN ('created', 'completed')`,
    [orderId],
  );
  return rows[0];
}

/**
 * Settles a charge in flight: completed with the provider's id, or failed with the reason. Only
 * from `created`, so of two settlers racing (a request and the reconciler) exactly one wins;
 * undefined for the loser. The source is forgotten once it is no longer needed.
 */
export async function markChargeSettled(
  db: Queryable,
  id: string,
  outcome: (
    | { status: 'completed'; providerId: string }
    | { status: 'failed'; providerId: string | null; errorMessage: string }
  ) & { last4?: string | undefined },
): Promise<ChargeRecord | undefined> {
  const { rows } = await db.query<ChargeRecord>(
    `UPDATE charges SET status = $2, provider_id = $3, error_message = $4, source = NULL,
       last4 = $5, updated_at = now()
     WHERE id = $1 AND status = 'created' RETURNING ${columns}`,
    [
      id,
      outcome.status,
      outcome.providerId,
      outcome.status === 'failed' ? outcome.errorMessage : null,
      // A provider's odd answer is not worth failing a payment over: keep only four digits.
      outcome.last4 && /^[0-9]{4}$/.test(outcome.last4) ? outcome.last4 : null,
    ],
  );
  return rows[0];
}

/** Records the refund of a completed charge; undefined when one was recorded already. */
export async function recordRefund(
  db: Queryable,
  id: string,
  refundId: string,
): Promise<ChargeRecord | undefined> {
  const { rows } = await db.query<ChargeRecord>(
    `UPDATE charges SET refund_id = $2, updated_at = now()
     WHERE id = $1 AND status = 'completed' AND refund_id IS NULL RETURNING ${columns}`,
    [id, refundId],
  );
  return rows[0];
}

/** A user's charges for one order, newest first. */
export async function listChargesOfOrder(
  db: Queryable,
  orderId: string,
  userId: string,
): Promise<ChargeRecord[]> {
  const { rows } = await db.query<ChargeRecord>(
    `SELECT ${columns} FROM charges WHERE order_id = $1 AND user_id = $2
     ORDER BY created_at DESC, id DESC`,
    [orderId, userId],
  );
  return rows;
}

/** Charges still in flight that are at least `olderThanSeconds` old, oldest first. */
export async function findChargesInFlight(
  db: Queryable,
  olderThanSeconds: number,
): Promise<ChargeRecord[]> {
  const { rows } = await db.query<ChargeRecord>(
    `SELECT ${columns} FROM charges
     WHERE status = 'created' AND created_at <= now() - make_interval(secs => $1)
     ORDER BY created_at`,
    [olderThanSeconds],
  );
  return rows;
}

/**
 * Charges that took money for an order that is cancelled, and were not refunded yet: each one
 * is a buyer paying for a ticket they will not get. Of one order, or of all.
 */
export async function findChargesOwedBack(
  db: Queryable,
  orderId?: string,
): Promise<ChargeRecord[]> {
  const { rows } = await db.query<ChargeRecord>(
    `SELECT ${columnsOf('c')} FROM charges c
     JOIN orders o ON o.id = c.order_id
     WHERE c.status = 'completed' AND c.refund_id IS NULL AND o.status = 'cancelled'
       AND ($1::uuid IS NULL OR c.order_id = $1)
     ORDER BY c.created_at`,
    [orderId ?? null],
  );
  return rows;
}
