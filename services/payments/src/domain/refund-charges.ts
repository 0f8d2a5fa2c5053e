import { logger } from '@ticketing/common';
import { findChargesOwedBack, recordRefund } from '../data/charge-repository.js';
import type { PaymentsContext } from './payments-context.js';

/** The refund of a charge always carries this key, whoever asks for it and however often. */
export const refundKeyOf = (chargeId: string) => `refund-${chargeId}`;

/**
 * Gives back the money of every completed charge whose order is cancelled and that has no
 * refund yet (of one order, or of all), and records each refund id. Safe to run any number of
 * times, from anywhere, at once: the provider refunds once per key and the refund id is
 * recorded once. Throws after trying them all if any refund failed, so the caller retries.
 */
export async function refundChargesOwedBack(
  ctx: PaymentsContext,
  orderId?: string,
): Promise<number> {
  const failures: unknown[] = [];
  let refunded = 0;
  for (const charge of await findChargesOwedBack(ctx.db, orderId)) {
    try {
      const refundId = await ctx.provider.refund(charge.providerId!, refundKeyOf(charge.id));
      if (await recordRefund(ctx.db, charge.id, refundId)) {
        refunded += 1;
        logger.info(
          { chargeId: charge.id, orderId: charge.orderId, refundId },
          'charge refunded: its order was cancelled',
        );
      }
    } catch (error) {
      logger.warn({ err: error, chargeId: charge.id }, 'refund failed; will retry');
      failures.push(error);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} refund(s) failed`);
  return refunded;
}
