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

const isoTime = (description: string) => z.iso.datetime().meta({ description });

/** An order as the API shows it: the price in currency units, times as ISO strings in UTC. */
export const publicOrderSchema = z
  .object({
    id: z.string(),
    userId: z.string().meta({ description: 'The buyer' }),
    status: z.enum([
      'created',
      'awaiting_payment',
      'completed',
      'cancelled',
    ] satisfies OrderStatus[]),
    expiresAt: isoTime('When the reservation ends unless paid'),
    version: z.number().int(),
    createdAt: isoTime('When the order was placed'),
    ticket: z.object({
      id: z.string(),
      title: z.string(),
      price: z.number().meta({ description: 'In currency units, at most 2 decimals' }),
      venue: z.string().nullable(),
      startsAt: z.iso.datetime().nullable(),
    }),
    cancelReason: z
      .enum(['buyer', 'expired', 'suspended'] satisfies CancelReason[])
      .optional()
      .meta({ description: 'Only on a cancelled order' }),
    paidAt: isoTime('Only on a completed order: when it was paid').optional(),
  })
  .meta({ id: 'Order' });

export type PublicOrder = z.infer<typeof publicOrderSchema>;

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
