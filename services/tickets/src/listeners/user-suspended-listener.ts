import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { withdrawAllAvailableListings } from '../domain/tickets-use-cases.js';

/**
 * A suspended seller's available listings are withdrawn (each with its ticket:updated, so orders
 * stops taking orders for them). Reserved and sold tickets are left to their orders. Lifting the
 * suspension does not bring them back: the seller lists again if they wish.
 */
export class UserSuspendedListener extends Listener<typeof Subjects.UserSuspended> {
  readonly subject = Subjects.UserSuspended;

  async onMessage(data: EventData<typeof Subjects.UserSuspended>, tx: Queryable): Promise<void> {
    await withdrawAllAvailableListings(tx, data.userId);
  }
}
