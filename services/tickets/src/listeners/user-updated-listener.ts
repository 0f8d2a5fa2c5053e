import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { recordSellerName } from '../domain/seller-replica.js';

/** Follows a user's name change (the highest version wins). */
export class UserUpdatedListener extends Listener<typeof Subjects.UserUpdated> {
  readonly subject = Subjects.UserUpdated;

  async onMessage(data: EventData<typeof Subjects.UserUpdated>, tx: Queryable): Promise<void> {
    await recordSellerName(tx, data);
  }
}
