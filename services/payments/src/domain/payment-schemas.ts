import { fromCents } from '@ticketing/common';
import { z } from 'zod';
import type { ChargeRecord, ChargeStatus } from '../data/charge-repository.js';

/** The same loose 8-4-4-4-12 shape that `parseId` accepts in paths. */
const orderId = z
  .string({ message: 'Order id is required' })
  .trim()
  .min(1, 'Order id is required')
  .pipe(z.guid({ message: 'Order id must be a valid id' }))
  .transform((id) => id.toLowerCase());

export const payOrderBody = z.object({
  orderId,
  /** A Stripe token or PaymentMethod id, or a test card number in the sandbox. */
  token: z
    .string({ message: 'Token is required' })
    .trim()
    .min(1, 'Token is required')
    .max(200, 'Token must be at most 200 characters'),
});

export type PayOrderInput = z.infer<typeof payOrderBody>;

export const chargesQuery = z.object({ orderId });

/** A charge as the API shows it: the amount in currency units, `createdAt` in ISO UTC. */
export interface PublicCharge {
  id: string;
  orderId: string;
  status: ChargeStatus;
  amount: number;
  providerId: string | null;
  refundId: string | null;
  createdAt: string;
  /** The card's last four digits; null while in flight or when the provider did not say. */
  last4: string | null;
}

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
