import { randomUUID } from 'node:crypto';
import type { Queryable } from '@ticketing/common';

export const NOTIFICATION_KINDS = [
  'reservation',
  'reservation-ending',
  'purchase',
  'sale',
  'expired',
  'suspended',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationRecord {
  id: string;
  userId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  /** What caused it (an order id, say): with `kind`, unique. */
  cause: string;
  title: string;
  body: string;
  link: string | null;
  /** The mail's facts, label then value. */
  facts: Array<[string, string]>;
}

/**
 * Records the notification unless one of its kind and cause exists; returns its id, or undefined
 * when it existed already (the cause was seen before).
 */
export async function insertNotification(
  tx: Queryable,
  notification: NewNotification,
): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO notifications (id, user_id, kind, cause, title, body, link, facts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
     ON CONFLICT ON CONSTRAINT notifications_one_per_cause DO NOTHING RETURNING id`,
    [
      randomUUID(),
      notification.userId,
      notification.kind,
      notification.cause,
      notification.title,
      notification.body,
      notification.link,
      JSON.stringify(notification.facts),
    ],
  );
  return rows[0]?.id;
}

export async function setMailId(tx: Queryable, id: string, mailId: string): Promise<void> {
  await tx.query('UPDATE notifications SET mail_id = $2 WHERE id = $1', [id, mailId]);
}

/**
 * Serialises everything that mails one user for the rest of the transaction: a notification
 * being recorded, and the user's address arriving. Whichever commits second sees the other, so a
 * notification made before the address was known is mailed once it is, and never twice.
 */
export async function lockRecipient(tx: Queryable, userId: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('notify:' || $1, 0))", [userId]);
}

/** The user's notifications since `since` that no mail went out for, oldest first. */
export async function unmailedNotifications(
  tx: Queryable,
  userId: string,
  since: Date,
): Promise<Array<NewNotification & { id: string }>> {
  const { rows } = await tx.query<NewNotification & { id: string }>(
    `SELECT id, user_id AS "userId", kind, cause, title, body, link, facts
     FROM notifications WHERE user_id = $1 AND mail_id IS NULL AND created_at > $2
     ORDER BY created_at, id`,
    [userId, since],
  );
  return rows;
}

const COLUMNS = `id, user_id AS "userId", kind, title, body, link, created_at AS "createdAt",
  read_at AS "readAt"`;

/** A page of the user's notifications, newest first. */
export async function listNotifications(
  db: Queryable,
  userId: string,
  page: { limit: number; offset: number; unreadOnly: boolean },
): Promise<NotificationRecord[]> {
  const { rows } = await db.query<NotificationRecord>(
    `SELECT ${COLUMNS} FROM notifications
     WHERE user_id = $1 AND ($2::boolean IS FALSE OR read_at IS NULL)
     ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
    [userId, page.unreadOnly, page.limit, page.offset],
  );
  return rows;
}

export async function countUnread(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
    [userId],
  );
  return rows[0]?.n ?? 0;
}

/** Marks the user's notifications read: those in `ids` (others' ids are ignored), or all. */
export async function markRead(
  db: Queryable,
  userId: string,
  which: { ids: string[] } | { all: true },
): Promise<void> {
  if ('all' in which) {
    await db.query(
      'UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    );
    return;
  }
  await db.query(
    `UPDATE notifications SET read_at = now()
     WHERE user_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL`,
    [userId, which.ids],
  );
}
