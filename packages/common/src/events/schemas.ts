import { z } from 'zod';
import { Subjects, type Subject } from './subjects.js';

/**
 * Payload schemas, one per subject: the single source of both the TypeScript type and the
 * runtime check a consumer runs before it acts. Money travels as integer cents; times as ISO
 * strings; every aggregate carries the version its replicas use to apply changes in order.
 */
const id = z.string().min(1);
const version = z.number().int().nonnegative();
const cents = z.number().int().positive();
const isoTime = z.iso.datetime({ offset: true });

// v2: `email` lets the notifications service mail the user; optional so that events recorded by
// the first release still parse.
const user = z.object({
  id,
  name: z.string().min(1),
  email: z.string().min(3).max(254).optional(),
  version,
});

const ticket = z.object({
  id,
  title: z.string().min(1),
  price: cents,
  userId: id,
  status: z.enum(['available', 'reserved', 'sold', 'withdrawn']),
  orderId: id.nullable(),
  version,
  // v2: where and when the event is. Optional so that events recorded by the first release still
  // parse; null for first-release listings whose date nobody knows (such a ticket is not
  // orderable). A ticket's `code` never travels in an event.
  venue: z.string().min(1).nullish(),
  startsAt: isoTime.nullish(),
});

export const eventSchemas = {
  [Subjects.UserCreated]: user,
  [Subjects.UserUpdated]: user,
  [Subjects.TicketCreated]: ticket,
  [Subjects.TicketUpdated]: ticket,
  [Subjects.OrderCreated]: z.object({
    id,
    userId: id,
    status: z.enum(['created', 'awaiting_payment', 'completed', 'cancelled']),
    expiresAt: isoTime,
    version,
    ticket: z.object({ id, price: cents }),
  }),
  [Subjects.OrderCancelled]: z.object({
    id,
    version,
    ticket: z.object({ id }),
    // v2: why, as the order keeps it (`buyer`, `expired`, `suspended`); optional so that events
    // recorded before it existed still parse.
    reason: z.enum(['buyer', 'expired', 'suspended']).optional(),
  }),
  /** Published by orders once a charge has paid for the order; tickets marks the ticket sold. */
  [Subjects.OrderCompleted]: z.object({
    id,
    version,
    ticket: z.object({ id }),
    // v2: when the order was paid, so that the seller's sale is dated as the buyer's order is;
    // optional so that events recorded by the first release still parse.
    paidAt: isoTime.optional(),
  }),
  [Subjects.OrderExpired]: z.object({ orderId: id }),
  [Subjects.ChargeCreated]: z.object({
    id,
    orderId: id,
    amount: cents,
    providerId: z.string(),
    // v2: the card's last four digits when the provider tells them (never more of the number);
    // the notifications service prints them on the receipt.
    last4: z
      .string()
      .regex(/^\d{4}$/)
      .nullish(),
  }),
  /**
   * One session (`sessionId`) or every session of the user whose token was issued before
   * `issuedBefore`; `expiresAt` is when the last token it covers expires, after which the entry
   * can be forgotten. Never the token itself.
   */
  [Subjects.SessionRevoked]: z
    .object({
      userId: id,
      sessionId: id.nullable(),
      issuedBefore: isoTime.nullable(),
      expiresAt: isoTime,
      reason: z.enum(['signout', 'signout-all', 'password-change', 'password-reset', 'suspension']),
    })
    .refine((r) => (r.sessionId === null) !== (r.issuedBefore === null), {
      message: 'exactly one of sessionId and issuedBefore',
    }),
  /**
   * An administrator suspended the user: each service ends what the user has running there
   * (tickets withdraws their available listings, orders cancels their unpaid orders with
   * `cancelReason` `suspended`, notifications tells the user). `reason` is the administrator's
   * text shown to the user (1–500 characters); the event never carries the email or a secret.
   */
  [Subjects.UserSuspended]: z.object({
    userId: id,
    reason: z.string().min(1).max(500),
    suspendedAt: isoTime,
  }),
  /** The suspension was lifted: the user may sign in again (withdrawn listings stay withdrawn). */
  [Subjects.UserReinstated]: z.object({ userId: id, reinstatedAt: isoTime }),
} satisfies Record<Subject, z.ZodType>;

export type EventData<S extends Subject> = z.infer<(typeof eventSchemas)[S]>;
