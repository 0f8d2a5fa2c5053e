import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { sellTicket } from '../domain/reservation-use-cases.js';

/** Marks the ticket sold once its order has been paid. */
export class OrderCompletedListener extends Listener<typeof Subjects.OrderCompleted> {
  readonly subject = Subjects.OrderCompleted;

  async onMessage(data: EventData<typeof Subjects.OrderCompleted>, tx: Queryable): Promise<void> {
    await sellTicket(tx, data.ticket.id, data.id, data.paidAt ? new Date(data.paidAt) : undefined);
  }
}
