import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import type { PaymentsContext } from '../domain/payments-context.js';
import { refundChargesOwedBack } from '../domain/refund-charges.js';
import { applyOrderChange } from '../domain/replicate-order.js';

/**
 * The order is cancelled here too; if it was paid meanwhile (charge:created already went out,
 * and orders, seeing the order cancelled, will not complete it), the money goes back.
 */
export class OrderCancelledListener extends Listener<typeof Subjects.OrderCancelled> {
  readonly subject = Subjects.OrderCancelled;

  constructor(
    private readonly ctx: PaymentsContext,
    consumer: string,
  ) {
    super(ctx.db, consumer);
  }

  async onMessage(data: EventData<typeof Subjects.OrderCancelled>, tx: Queryable): Promise<void> {
    await applyOrderChange(tx, { id: data.id, version: data.version, status: 'cancelled' });
  }

  /**
   * The refund is a call to the provider, so it runs after the replica's change has committed,
   * never inside the transaction. It runs on every delivery, the first or a redelivery of an
   * event already applied: a refund that failed leaves the event unacknowledged and is tried
   * again when it comes back (and by the reconciler, should it end as a dead letter).
   */
  protected override async afterCommit(
    data: EventData<typeof Subjects.OrderCancelled>,
  ): Promise<void> {
    await refundChargesOwedBack(this.ctx, data.id);
  }
}
