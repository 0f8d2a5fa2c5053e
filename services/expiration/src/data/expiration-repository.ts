import type { Queryable } from '@ticketing/common';

export interface ExpirationRecord {
  orderId: string;
  expiresAt: Date;
  /** When order:expired was recorded; null while the expiration is pending. */
  expiredAt: Date | null;
}

/** Remembers an order's window; an order already known is left as it is. */
export async function insertExpiration(
  db: Queryable,
  expiration: { orderId: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO expirations (order_id, expires_at) VALUES ($1, $2)
     ON CONFLICT (order_id) DO NOTHING`,
    [expiration.orderId, expiration.expiresAt],
  );
}

/**
 * Marks the order expired; true only for the first call, so only one caller records the event.
 * The listener records the order before it schedules the job, so the row is normally there; if
 * it is not, the order is recorded as expired all the same rather than its expiry lost.
 */
export async function markExpired(
  tx: Queryable,
  expiration: { orderId: string; expiresAt: Date },
): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO expirations (order_id, expires_at, expired_at) VALUES ($1, $2, now())
     ON CONFLICT (order_id) DO UPDATE SET expired_at = now() WHERE expirations.expired_at IS NULL
     RETURNING order_id`,
    [expiration.orderId, expiration.expiresAt],
  );
  return rows.length > 0;
}

export async function findExpiration(
  db: Queryable,
  orderId: string,
): Promise<ExpirationRecord | undefined> {
  const { rows } = await db.query<ExpirationRecord>(
    `SELECT order_id AS "orderId", expires_at AS "expiresAt", expired_at AS "expiredAt"
     FROM expirations WHERE order_id = $1`,
    [orderId],
  );
  return rows[0];
}

/**
 * Expirations not fired yet, earliest first: the record every pending expiry is rebuilt from
 * when the scheduler (Redis) may have forgotten it. At most `limit` rows.
 */
export async function pendingExpirations(
  db: Queryable,
  limit: number,
): Promise<{ orderId: string; expiresAt: Date }[]> {
  const { rows } = await db.query<{ orderId: string; expiresAt: Date }>(
    `SELECT order_id AS "orderId", expires_at AS "expiresAt" FROM expirations
     WHERE expired_at IS NULL ORDER BY expires_at, order_id LIMIT $1`,
    [limit],
  );
  return rows;
}
