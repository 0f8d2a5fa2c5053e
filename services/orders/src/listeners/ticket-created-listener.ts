import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { recordNewTicket } from '../domain/replicate-ticket.js';

export class TicketCreatedListener extends Listener<typeof Subjects.TicketCreated> {
  readonly subject = Subjects.TicketCreated;

  async onMessage(data: EventData<typeof Subjects.TicketCreated>, tx: Queryable): Promise<void> {
    await recordNewTicket(tx, data);
  }
}
