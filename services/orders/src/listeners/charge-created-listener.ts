import { Listener, Subjects, logger, type EventData, type Queryable } from '@ticketing/common';
import { completeOrder } from '../domain/complete-order.js';

type ChargeCreated = typeof Subjects.ChargeCreated;

/**
 * A charge has paid for the order: it is completed, which records order:completed so tickets
 * marks the ticket sold. A charge for an order completed already (a second charge event) changes
 * nothing.
 *
 * A charge for an order cancelled meanwhile (its window expired, or the buyer cancelled) also
 * changes nothing here: the cancellation stands and its order:cancelled is already on its way
 * to payments, which refunds a successful charge of a cancelled order on its side and records
 * the refund on the charge. Orders never un-cancels an order, since its ticket may be someone
 * else's by now.
 */
export class ChargeCreatedListener extends Listener<ChargeCreated> {
  readonly subject = Subjects.ChargeCreated;

  async onMessage(data: EventData<ChargeCreated>, tx: Queryable): Promise<void> {
    const result = await completeOrder(tx, data.orderId);
    if (result.outcome === 'not_found') {
      logger.warn({ orderId: data.orderId, chargeId: data.id }, 'charge for an unknown order');
    } else if (result.outcome === 'cancelled') {
      logger.info(
        { orderId: data.orderId, chargeId: data.id },
        'charge for a cancelled order; payments refunds it',
      );
    }
  }
}
