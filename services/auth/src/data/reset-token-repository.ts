import type { Queryable } from '@ticketing/common';

/** Voids every unused token of the user (a newer request or a completed reset supersedes them). */
export async function voidResetTokens(db: Queryable, userId: string): Promise<void> {
  await db.query(
    'UPDATE password_reset_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL',
    [userId],
  );
}

export async function insertResetToken(
  db: Queryable,
  token: { hash: string; userId: string; ttlSeconds: number },
): Promise<void> {
  await db.query(
    `INSERT INTO password_reset_tokens (token_hash, user_id, expires_at)
     VALUES ($1, $2, now() + make_interval(secs => $3))`,
    [token.hash, token.userId, token.ttlSeconds],
  );
}

/**
 * Marks the token used if it is unused and unexpired, in one statement (two confirmations racing
 * cannot both win); returns its user, or undefined for an unknown, used or expired token.
 */
export async function useResetToken(db: Queryable, hash: string): Promise<string | undefined> {
  const { rows } = await db.query<{ userId: string }>(
    `UPDATE password_reset_tokens SET used_at = now()
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING user_id AS "userId"`,
    [hash],
  );
  return rows[0]?.userId;
}
