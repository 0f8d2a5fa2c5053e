import { fromCents } from '@ticketing/common';
import { z } from 'zod';
import type { CancelReason, OrderRecord, OrderStatus } from '../data/order-repository.js';

export const createOrderBody = z.object({
  ticketId: z
    .string({ message: 'Ticket id is required' })
    .trim()
    .min(1, 'Ticket id is required')
    // The same loose 8-4-4-4-12 shape that `parseId` accepts in paths.
    .pipe(z.guid({ message: 'Ticket id must be a valid id' }))
    .transform((id) => id.toLowerCase()),
});

export type CreateOrderInput = z.infer<typeof createOrderBody>;

/** An order as the API shows it: the price in currency units, times as ISO strings in UTC. */
export interface PublicOrder {
  id: string;
  userId: string;
  status: OrderStatus;
  expiresAt: string;
  version: number;
  createdAt: string;
  ticket: {
    id: string;
    title: string;
    price: number;
    venue: string | null;
    startsAt: string | null;
  };
  /** Only on a cancelled order. */
  cancelReason?: CancelReason;
  /** Only on a completed order: when it was paid. */
  paidAt?: string;
}

export const toPublicOrder = (o: OrderRecord): PublicOrder => ({
  id: o.id,
  userId: o.userId,
  status: o.status,
  expiresAt: o.expiresAt.toISOString(),
  version: o.version,
  createdAt: o.createdAt.toISOString(),
  ticket: {
    id: o.ticket.id,
    title: o.ticket.title,
    price: fromCents(o.ticket.price),
    venue: o.ticket.venue,
    startsAt: o.ticket.startsAt?.toISOString() ?? null,
  },
  ...(o.status === 'cancelled' && o.cancelReason ? { cancelReason: o.cancelReason } : {}),
  ...(o.status === 'completed' && o.paidAt ? { paidAt: o.paidAt.toISOString() } : {}),
});
