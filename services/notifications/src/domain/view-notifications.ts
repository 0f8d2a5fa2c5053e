import type { Database } from '@ticketing/common';
import { countUnread, listNotifications, markRead } from '../data/notification-repository.js';
import {
  toPublicNotification,
  type MarkReadInput,
  type PublicNotification,
} from './notification-schemas.js';

/** A page of the user's notifications, newest first, with how many are unread in all. */
export async function myNotifications(
  db: Database,
  userId: string,
  page: { limit: number; offset: number; unread: boolean },
): Promise<{ unread: number; items: PublicNotification[] }> {
  const [unread, items] = await Promise.all([
    countUnread(db, userId),
    listNotifications(db, userId, { ...page, unreadOnly: page.unread }),
  ]);
  return { unread, items: items.map(toPublicNotification) };
}

/** Marks some (ids of others' notifications are ignored) or all read; answers the unread count. */
export async function readNotifications(
  db: Database,
  userId: string,
  input: MarkReadInput,
): Promise<{ unread: number }> {
  await markRead(db, userId, 'all' in input ? { all: true } : { ids: input.ids });
  return { unread: await countUnread(db, userId) };
}
