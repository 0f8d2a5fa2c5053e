import type { Queryable } from '@ticketing/common';

/** A user as stored; the hash never leaves the service (see `toPublicUser`). */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  passwordHash: string;
  version: number;
  admin: boolean;
  suspendedAt: Date | null;
  /** The administrator's reason, while suspended. */
  suspensionReason: string | null;
}

const columns = `id, email, name, phone, password_hash AS "passwordHash", version, admin,
  suspended_at AS "suspendedAt", suspension_reason AS "suspensionReason"`;

export const EMAIL_TAKEN_CONSTRAINT = 'users_email_unique';

export async function insertUser(
  db: Queryable,
  user: Omit<UserRecord, 'version' | 'suspendedAt' | 'suspensionReason'>,
): Promise<UserRecord> {
  const { rows } = await db.query<UserRecord>(
    `INSERT INTO users (id, email, name, phone, password_hash, admin)
     VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${columns}`,
    [user.id, user.email, user.name, user.phone, user.passwordHash, user.admin],
  );
  return rows[0]!;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRecord>(
    `SELECT ${columns} FROM users WHERE lower(email) = lower($1)`,
    [email],
  );
  return rows[0];
}

export async function findUserById(db: Queryable, id: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRecord>(`SELECT ${columns} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

/** Applies the given profile fields and bumps the version; undefined means "leave as is". */
export async function updateProfile(
  db: Queryable,
  id: string,
  changes: { name?: string; phone?: string | null },
): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRecord>(
    `UPDATE users SET
       name = COALESCE($2, name),
       phone = CASE WHEN $3::boolean THEN $4 ELSE phone END,
       version = version + 1,
       updated_at = now()
     WHERE id = $1 RETURNING ${columns}`,
    [id, changes.name ?? null, changes.phone !== undefined, changes.phone ?? null],
  );
  return rows[0];
}

/** Replaces the password hash (change or reset). */
export async function updatePasswordHash(
  db: Queryable,
  id: string,
  passwordHash: string,
): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRecord>(
    `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 RETURNING ${columns}`,
    [id, passwordHash],
  );
  return rows[0];
}

/** Makes exactly the users with these (lower-case) emails administrators; run at start. */
export async function syncAdmins(db: Queryable, emails: string[]): Promise<void> {
  await db.query(
    `UPDATE users SET admin = (lower(email) = ANY($1::text[]))
     WHERE admin <> (lower(email) = ANY($1::text[]))`,
    [emails],
  );
}

/**
 * Suspends the user for `reason` unless already suspended; `undefined` when the user does not
 * exist or was suspended already (nothing changed, so nothing to publish).
 */
export async function markSuspended(
  db: Queryable,
  id: string,
  reason: string,
  at: Date,
): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRecord>(
    `UPDATE users SET suspended_at = $3, suspension_reason = $2, updated_at = now()
     WHERE id = $1 AND suspended_at IS NULL RETURNING ${columns}`,
    [id, reason, at],
  );
  return rows[0];
}

/** Lifts the suspension; `undefined` when the user does not exist or was not suspended. */
export async function markReinstated(db: Queryable, id: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRecord>(
    `UPDATE users SET suspended_at = NULL, suspension_reason = NULL, updated_at = now()
     WHERE id = $1 AND suspended_at IS NOT NULL RETURNING ${columns}`,
    [id],
  );
  return rows[0];
}
