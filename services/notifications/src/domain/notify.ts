import type { MailOutbox, Queryable } from '@ticketing/common';
import { insertNotification, setMailId } from '../data/notification-repository.js';
import { findUser } from '../data/replica-repository.js';
import { mailOf, type Message, type MessageStyle } from './messages.js';

/** What the use cases of this service share. */
export interface NotifyContext {
  mail: MailOutbox;
  style: MessageStyle;
  /** Lead time of the reservation-ending reminder (ms). */
  reminderLeadMs: number;
}

/**
 * Events older than this make no notification (their replicas are still kept): a service that
 * starts on a bus with a long history, or comes back after a long outage, does not mail people
 * about reservations and sales of weeks ago. See docs/decisions/0023.
 */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export const isStale = (occurredAt: string | Date, now = Date.now()): boolean =>
  now - new Date(occurredAt).getTime() > STALE_AFTER_MS;

/**
 * Records `message` for `userId` once per `cause`, and in the same transaction its mail in the
 * outbox when the user's address is known. Returns whether it was new: false for a cause seen
 * before (a redelivered event, a second event for one cause), which records nothing.
 */
export async function notify(
  tx: Queryable,
  ctx: NotifyContext,
  userId: string,
  cause: string,
  message: Message,
): Promise<boolean> {
  const id = await insertNotification(tx, {
    userId,
    cause,
    kind: message.kind,
    title: message.title,
    body: message.body,
    link: message.link,
  });
  if (!id) return false;
  const user = await findUser(tx, userId);
  if (user?.email) {
    const mailId = await ctx.mail.enqueue(
      tx,
      mailOf(message, { name: user.name, email: user.email }, ctx.style),
    );
    await setMailId(tx, id, mailId);
  }
  return true;
}
