import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { releaseTicket } from '../domain/reservation-use-cases.js';

/** Releases the ticket if the cancelled order still holds it. */
export class OrderCancelledListener extends Listener<typeof Subjects.OrderCancelled> {
  readonly subject = Subjects.OrderCancelled;

  async onMessage(data: EventData<typeof Subjects.OrderCancelled>, tx: Queryable): Promise<void> {
    await releaseTicket(tx, data.ticket.id, data.id);
  }
}
