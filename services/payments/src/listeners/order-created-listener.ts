import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { recordNewOrder } from '../domain/replicate-order.js';

export class OrderCreatedListener extends Listener<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;

  async onMessage(data: EventData<typeof Subjects.OrderCreated>, tx: Queryable): Promise<void> {
    await recordNewOrder(tx, data);
  }
}
