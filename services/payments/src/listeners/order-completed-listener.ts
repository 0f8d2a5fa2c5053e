import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { applyOrderChange } from '../domain/replicate-order.js';

export class OrderCompletedListener extends Listener<typeof Subjects.OrderCompleted> {
  readonly subject = Subjects.OrderCompleted;

  async onMessage(data: EventData<typeof Subjects.OrderCompleted>, tx: Queryable): Promise<void> {
    await applyOrderChange(tx, { id: data.id, version: data.version, status: 'completed' });
  }
}
