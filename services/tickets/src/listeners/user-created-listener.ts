import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { recordSellerName } from '../domain/seller-replica.js';

/** Learns a new user's public name, shown as the seller of their tickets. */
export class UserCreatedListener extends Listener<typeof Subjects.UserCreated> {
  readonly subject = Subjects.UserCreated;

  async onMessage(data: EventData<typeof Subjects.UserCreated>, tx: Queryable): Promise<void> {
    await recordSellerName(tx, data);
  }
}
