import type { Queryable } from '@ticketing/common';

/** A user as stored; the hash never leaves the service (see `toPublicUser`). */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  passwordHash: string;
  version: number;
}

const columns = 'id, email, name, phone, password_hash AS "passwordHash", version';

export const EMAIL_TAKEN_CONSTRAINT = 'users_email_unique';

export async function insertUser(db: Queryable, user: Omit<UserRecord, 'version'>): Promise<UserRecord> {
  const { rows } = await db.query<UserRecord>(
    `INSERT INTO users (id, email, name, phone, password_hash) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${columns}`,
    [user.id, user.email, user.name, user.phone, user.passwordHash],
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
