import { randomUUID } from 'node:crypto';
import { Subjects, createEnvelope, type Database } from '@ticketing/common';
import { ApiClient, eventually } from './http.js';
import { bearer } from './users.js';

/**
 * The events the notifications service hears, as their producers announce them, for one sale:
 * a seller and a buyer (with emails), a ticket, and builders for its order's life.
 */
export function saleStory(
  over: { reservationMs?: number; price?: number; last4?: string | null } = {},
) {
  const seller = { id: randomUUID(), name: 'Sam Seller', email: `sam-${randomUUID()}@example.com` };
  const buyer = { id: randomUUID(), name: 'Bea Buyer', email: `bea-${randomUUID()}@example.com` };
  const ticket = {
    id: randomUUID(),
    title: 'Jazz at the Hall',
    price: over.price ?? 2550,
    userId: seller.id,
    status: 'available' as const,
    orderId: null,
    version: 0,
    venue: 'Town Hall',
    startsAt: '2027-06-05T18:30:00.000Z',
  };
  const orderId = randomUUID();
  const chargeId = randomUUID();
  const expiresAt = new Date(Date.now() + (over.reservationMs ?? 15 * 60_000)).toISOString();
  return {
    seller,
    buyer,
    ticket,
    orderId,
    userCreated: (user: typeof seller) =>
      createEnvelope(Subjects.UserCreated, { ...user, version: 0 }),
    ticketCreated: () => createEnvelope(Subjects.TicketCreated, ticket),
    orderCreated: () =>
      createEnvelope(Subjects.OrderCreated, {
        id: orderId,
        userId: buyer.id,
        status: 'created',
        expiresAt,
        version: 0,
        ticket: { id: ticket.id, price: ticket.price },
      }),
    chargeCreated: () =>
      createEnvelope(Subjects.ChargeCreated, {
        id: chargeId,
        orderId,
        amount: ticket.price,
        providerId: `ch_${chargeId}`,
        last4: over.last4 === undefined ? '4242' : over.last4,
      }),
    orderCompleted: () =>
      createEnvelope(Subjects.OrderCompleted, {
        id: orderId,
        version: 1,
        ticket: { id: ticket.id },
      }),
    orderCancelled: (reason: 'buyer' | 'expired' | 'suspended') =>
      createEnvelope(Subjects.OrderCancelled, {
        id: orderId,
        version: 1,
        ticket: { id: ticket.id },
        reason,
      }),
  };
}

export type SaleStory = ReturnType<typeof saleStory>;

/** A user's notifications as the API answers them. */
export async function notificationsOf(
  url: string,
  user: { id: string; name: string; email: string },
  query = '',
) {
  const res = await new ApiClient(url).get(`/api/notifications${query}`, await bearer(user));
  if (res.status !== 200) throw new Error(`GET /api/notifications: ${res.status}`);
  return res.body as {
    unread: number;
    items: Array<{
      id: string;
      kind: string;
      title: string;
      body: string;
      link: string | null;
      createdAt: string;
      readAt: string | null;
    }>;
  };
}

/** How many notifications of each kind and cause the service holds: any value above 1 is a bug. */
export async function notificationCounts(db: Database): Promise<Map<string, number>> {
  const { rows } = await db.query<{ key: string; n: number }>(
    `SELECT kind || ' ' || cause AS key, count(*)::int AS n FROM notifications GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.key, r.n]));
}

/** The mails recorded for `to`, oldest first (subjects only: bodies are blanked once sent). */
export async function mailsTo(db: Database, to: string): Promise<string[]> {
  const { rows } = await db.query<{ subject: string }>(
    'SELECT subject FROM mail_outbox WHERE recipient = $1 ORDER BY created_at, id',
    [to],
  );
  return rows.map((r) => r.subject);
}

/** Waits until `user` has notifications of all `kinds` (each at least once). */
export const notified = (
  url: string,
  user: { id: string; name: string; email: string },
  kinds: string[],
) =>
  eventually(
    () => notificationsOf(url, user),
    (n) => kinds.every((k) => n.items.some((i) => i.kind === k)),
    20_000,
  );
