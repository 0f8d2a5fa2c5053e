import type { ChargeResult } from '@ticketing/common';
import { findCharge, markChargeSettled, type ChargeRecord } from '../data/charge-repository.js';
import { lockOrder, setLocalOrderStatus } from '../data/order-replica-repository.js';
import { ChargeCreatedPublisher } from '../data/charge-publishers.js';
import type { PaymentsContext } from './payments-context.js';

const chargeCreated = new ChargeCreatedPublisher();

/** Asks the provider to take the charge's money: the same request, and key, every time. */
export function askProvider(ctx: PaymentsContext, charge: ChargeRecord): Promise<ChargeResult> {
  if (!charge.source) throw new Error(`charge ${charge.id} is settled; it has no source left`);
  return ctx.provider.charge({
    amount: charge.amount,
    currency: charge.currency,
    source: charge.source,
    idempotencyKey: charge.idempotencyKey,
    metadata: { orderId: charge.orderId, chargeId: charge.id },
  });
}

/**
 * Records what the provider answered for a charge in flight, deciding under the order's lock:
 *
 * - declined: the charge failed; the order is payable again (unless cancelled meanwhile);
 * - succeeded for a live order: the charge completed, the order is paid here, and charge:created
 *   tells orders, in the same transaction;
 * - succeeded for an order cancelled meanwhile: the charge completed but no charge:created; the
 *   money is owed back (`refundChargesOwedBack`), which the caller sees on the order's status.
 *
 * Whoever settles first (the request or the reconciler) wins; the other gets the charge as it
 * was settled.
 */
export async function settleCharge(
  ctx: PaymentsContext,
  charge: ChargeRecord,
  result: ChargeResult,
): Promise<ChargeRecord> {
  const settled = await ctx.db.transaction(async (tx) => {
    const order = await lockOrder(tx, charge.orderId);
    if (result.status === 'declined') {
      const failed = await markChargeSettled(tx, charge.id, {
        status: 'failed',
        providerId: result.providerId ?? null,
        errorMessage: result.message,
        last4: result.last4,
      });
      if (failed) await setLocalOrderStatus(tx, charge.orderId, 'created', ['awaiting_payment']);
      return failed;
    }
    const completed = await markChargeSettled(tx, charge.id, {
      status: 'completed',
      providerId: result.providerId,
      last4: result.last4,
    });
    if (!completed || order?.status === 'cancelled') return completed;
    await setLocalOrderStatus(tx, charge.orderId, 'completed', ['created', 'awaiting_payment']);
    await chargeCreated.publish(tx, {
      id: completed.id,
      orderId: completed.orderId,
      amount: completed.amount,
      providerId: result.providerId,
      // Not a secret (receipts print it); the card number never leaves the provider.
      last4: completed.last4,
    });
    return completed;
  });
  return settled ?? (await findCharge(ctx.db, charge.id))!;
}
