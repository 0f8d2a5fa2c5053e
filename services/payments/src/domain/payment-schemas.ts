import { fromCents } from '@ticketing/common';
import { z } from 'zod';
import type { ChargeRecord, ChargeStatus } from '../data/charge-repository.js';

/** The same loose 8-4-4-4-12 shape that `parseId` accepts in paths. */
const orderId = z
  .string({ message: 'Order id is required' })
  .trim()
  .min(1, 'Order id is required')
  .pipe(z.guid({ message: 'Order id must be a valid id' }))
  .transform((id) => id.toLowerCase())
  .meta({ format: 'uuid', description: 'The order to pay' });

export const payOrderBody = z.object({
  orderId,
  /** A Stripe token or PaymentMethod id, or a test card number in the sandbox. */
  token: z
    .string({ message: 'Token is required' })
    .trim()
    .min(1, 'Token is required')
    .max(200, 'Token must be at most 200 characters')
    .meta({
      description:
        'A Stripe token or PaymentMethod id; in the sandbox also a test card number (tok_visa or 4242 4242 4242 4242 succeed, tok_chargeDeclined or 4000 0000 0000 0002 are declined)',
      example: 'tok_visa',
    }),
});

export type PayOrderInput = z.infer<typeof payOrderBody>;

export const chargesQuery = z.object({ orderId });

/** A charge as the API shows it: the amount in currency units, `createdAt` in ISO UTC. */
export const publicChargeSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    status: z.enum(['created', 'failed', 'completed'] satisfies ChargeStatus[]).meta({
      description: '`created` while in flight, `failed` when declined, `completed` when paid',
    }),
    amount: z.number().meta({ description: 'In currency units, like a ticket price' }),
    providerId: z
      .string()
      .nullable()
      .meta({ description: "The payment provider's id of the charge" }),
    refundId: z.string().nullable().meta({
      description: 'Set when the charge was refunded (the order was cancelled meanwhile)',
    }),
    createdAt: z.iso.datetime(),
    last4: z.string().nullable().meta({
      description:
        "The card's last four digits; null while in flight or when the provider did not say",
    }),
  })
  .meta({ id: 'Charge' });

export type PublicCharge = z.infer<typeof publicChargeSchema>;

export const toPublicCharge = (c: ChargeRecord): PublicCharge => ({
  id: c.id,
  orderId: c.orderId,
  status: c.status,
  amount: fromCents(c.amount),
  providerId: c.providerId,
  refundId: c.refundId,
  createdAt: c.createdAt.toISOString(),
  last4: c.last4,
});
