import { logger } from '@ticketing/common';
import { findChargesInFlight } from '../data/charge-repository.js';
import type { PaymentsContext } from './payments-context.js';
import { refundChargesOwedBack } from './refund-charges.js';
import { askProvider, settleCharge } from './settle-charge.js';

/**
 * Finishes what a crash or a silent provider left undone, so that no order stays blocked by a
 * charge in flight and no buyer stays charged for a ticket they do not get:
 *
 * 1. each charge still `created` (and at least `olderThanSeconds` old, so requests under way are
 *    left alone) is asked about again with its own idempotency key, which cannot charge twice,
 *    and settled as the request would have settled it;
 * 2. each completed charge of a cancelled order without a refund is refunded.
 */
export async function reconcileCharges(
  ctx: PaymentsContext,
  options: { olderThanSeconds: number },
): Promise<void> {
  for (const charge of await findChargesInFlight(ctx.db, options.olderThanSeconds)) {
    if (ctx.inFlight.has(charge.id)) continue;
    ctx.inFlight.add(charge.id);
    try {
      const settled = await settleCharge(ctx, charge, await askProvider(ctx, charge));
      logger.info({ chargeId: charge.id, status: settled.status }, 'charge in flight settled');
    } catch (error) {
      logger.warn({ err: error, chargeId: charge.id }, 'charge still in flight; will retry');
    } finally {
      ctx.inFlight.delete(charge.id);
    }
  }
  await refundChargesOwedBack(ctx).catch(() => undefined); // logged there; retried next pass
}

/** Runs `reconcileCharges` once at start (every charge in flight), then every interval. */
export class ChargeReconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: PaymentsContext,
    private readonly intervalSeconds: number,
  ) {}

  start(): void {
    // At start nothing of this process is in flight: whatever is `created` was left by a crash.
    this.run(0);
    this.timer = setInterval(() => this.run(this.intervalSeconds), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** A pass, unless one is running; resolves when the pass under way ends. */
  run(olderThanSeconds: number): Promise<void> {
    this.running ??= reconcileCharges(this.ctx, { olderThanSeconds })
      .catch((error: unknown) => logger.warn({ err: error }, 'charge reconciliation failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
