import type { MailOutbox, Queryable } from '@ticketing/common';
import {
  insertNotification,
  lockRecipient,
  setMailId,
  unmailedNotifications,
} from '../data/notification-repository.js';
import { findUser, upsertUser } from '../data/replica-repository.js';
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
 * outbox when the user's address is known (else `userKnown` mails it when it arrives). Returns
 * whether it was new: false for a cause seen before (a redelivered event, a second event for one
 * cause), which records nothing.
 */
export async function notify(
  tx: Queryable,
  ctx: NotifyContext,
  userId: string,
  cause: string,
  message: Message,
): Promise<boolean> {
  await lockRecipient(tx, userId);
  const id = await insertNotification(tx, {
    userId,
    cause,
    kind: message.kind,
    title: message.title,
    body: message.body,
    link: message.link,
    facts: message.facts ?? [],
  });
  if (!id) return false;
  const user = await findUser(tx, userId);
  if (user?.email) {
    const to = { name: user.name, email: user.email };
    await setMailId(tx, id, await ctx.mail.enqueue(tx, mailOf(message, to, ctx.style)));
  }
  return true;
}

/**
 * A user's name and address, from user:created or user:updated. The events of different
 * subjects travel apart, so a notification can be recorded before its user is known here; those
 * of the last day that went unmailed for want of an address are mailed now, once.
 */
export async function userKnown(
  tx: Queryable,
  ctx: NotifyContext,
  user: { id: string; name: string; email?: string; version: number },
): Promise<void> {
  await lockRecipient(tx, user.id);
  await upsertUser(tx, user);
  const known = await findUser(tx, user.id);
  if (!known?.email) return;
  const since = new Date(Date.now() - STALE_AFTER_MS);
  for (const waiting of await unmailedNotifications(tx, user.id, since)) {
    const mail = mailOf(waiting, { name: known.name, email: known.email }, ctx.style);
    await setMailId(tx, waiting.id, await ctx.mail.enqueue(tx, mail));
  }
}
