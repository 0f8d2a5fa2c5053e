import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  PaymentProviderError,
  PaymentRequiredError,
  databaseNow,
  isUniqueViolation,
  logger,
  ownOrder,
  type ChargeResult,
  type Queryable,
} from '@ticketing/common';
import {
  ONE_LIVE_CHARGE_PER_ORDER,
  findLiveCharge,
  insertCharge,
  type ChargeRecord,
} from '../data/charge-repository.js';
import {
  findOrder,
  lockOrder,
  setLocalOrderStatus,
  type OrderReplica,
} from '../data/order-replica-repository.js';
import { ProviderUnavailableError } from './errors.js';
import { toPublicCharge, type PayOrderInput, type PublicCharge } from './payment-schemas.js';
import type { PaymentsContext } from './payments-context.js';
import { refundChargesOwedBack } from './refund-charges.js';
import { askProvider, settleCharge } from './settle-charge.js';

/**
 * The buyer pays for an order. Three steps, the provider called outside any transaction:
 * record the charge in flight (which at most one request per order can do), ask the provider
 * with the charge's id as idempotency key, then settle under the order's lock. A payment that
 * succeeds for an order cancelled meanwhile is refunded before the buyer gets the answer.
 */
export async function payOrder(
  ctx: PaymentsContext,
  userId: string,
  input: PayOrderInput,
): Promise<PublicCharge> {
  const charge = await openCharge(ctx, userId, input);
  ctx.inFlight.add(charge.id);
  let settled: ChargeRecord;
  try {
    settled = await settleCharge(ctx, charge, await chargeAtProvider(ctx, charge));
  } finally {
    ctx.inFlight.delete(charge.id);
  }

  if (settled.status === 'failed') {
    throw new PaymentRequiredError(settled.errorMessage ?? 'Payment declined');
  }
  if ((await findOrder(ctx.db, charge.orderId))?.status === 'cancelled') {
    throw await refundLatePayment(ctx, charge.orderId);
  }
  return toPublicCharge(settled);
}

/** Step 1: checks the order can be paid and records the charge in flight, in one transaction. */
async function openCharge(
  ctx: PaymentsContext,
  userId: string,
  input: PayOrderInput,
): Promise<ChargeRecord> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const order = ownOrder(await lockOrder(tx, input.orderId), userId);
      await assertPayable(tx, order);
      const id = randomUUID();
      const charge = await insertCharge(tx, {
        id,
        orderId: order.id,
        userId,
        amount: order.price,
        currency: ctx.currency,
        source: input.token,
        idempotencyKey: id,
      });
      await setLocalOrderStatus(tx, order.id, 'awaiting_payment', ['created']);
      return charge;
    });
  } catch (error) {
    // The order's lock already makes a second request wait and see the first one's charge;
    // the unique index is what guarantees it, whatever path a charge is written by.
    if (isUniqueViolation(error, ONE_LIVE_CHARGE_PER_ORDER)) throw paymentInProgress();
    throw error;
  }
}

/** 409 for an order that cannot be paid now: cancelled, paid, being paid, or expired. */
async function assertPayable(tx: Queryable, order: OrderReplica): Promise<void> {
  if (order.status === 'cancelled') throw new ConflictError('Order is cancelled');
  const live = await findLiveCharge(tx, order.id);
  if (order.status === 'completed' || live?.status === 'completed') {
    throw new ConflictError('Order is already paid');
  }
  if (live) throw paymentInProgress();
  if (order.expiresAt.getTime() <= (await databaseNow(tx)).getTime()) {
    throw new ConflictError('Order has expired');
  }
}

const paymentInProgress = () =>
  new ConflictError('A payment for this order is already in progress');

/** Step 2. No answer leaves the charge in flight, for the reconciler to ask again with its key. */
async function chargeAtProvider(ctx: PaymentsContext, charge: ChargeRecord): Promise<ChargeResult> {
  try {
    return await askProvider(ctx, charge);
  } catch (error) {
    if (!(error instanceof PaymentProviderError)) throw error;
    logger.warn({ err: error, chargeId: charge.id }, 'payment provider did not answer');
    throw new ProviderUnavailableError(
      'The payment provider did not answer. This payment will be checked and either completed ' +
        'or released within a few minutes; you will not be charged twice.',
    );
  }
}

/** The order was cancelled while its payment was made: the money goes back now, or soon. */
async function refundLatePayment(ctx: PaymentsContext, orderId: string): Promise<ConflictError> {
  try {
    await refundChargesOwedBack(ctx, orderId);
    return new ConflictError(
      'The order was cancelled while it was being paid; the payment has been refunded',
    );
  } catch {
    return new ConflictError(
      'The order was cancelled while it was being paid; the payment will be refunded',
    );
  }
}
