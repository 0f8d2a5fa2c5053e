import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { applyTicketUpdate } from '../domain/replicate-ticket.js';

export class TicketUpdatedListener extends Listener<typeof Subjects.TicketUpdated> {
  readonly subject = Subjects.TicketUpdated;

  async onMessage(data: EventData<typeof Subjects.TicketUpdated>, tx: Queryable): Promise<void> {
    await applyTicketUpdate(tx, data);
  }
}
