import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { lockUnpaidOrdersOfUser } from '../data/order-repository.js';
import { releaseHold } from '../domain/cancel-order.js';

/**
 * A suspended buyer's unpaid orders (created or awaiting payment) are cancelled with
 * `cancelReason` `suspended`, each with its order:cancelled, so tickets frees the tickets and
 * payments refunds a charge that lands afterwards. Paid orders stay paid.
 */
export class UserSuspendedListener extends Listener<typeof Subjects.UserSuspended> {
  readonly subject = Subjects.UserSuspended;

  async onMessage(data: EventData<typeof Subjects.UserSuspended>, tx: Queryable): Promise<void> {
    for (const order of await lockUnpaidOrdersOfUser(tx, data.userId)) {
      await releaseHold(tx, order, 'suspended');
    }
  }
}
