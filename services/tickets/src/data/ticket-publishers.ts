import { Publisher, Subjects } from '@ticketing/common';

export class TicketCreatedPublisher extends Publisher<typeof Subjects.TicketCreated> {
  readonly subject = Subjects.TicketCreated;
}

export class TicketUpdatedPublisher extends Publisher<typeof Subjects.TicketUpdated> {
  readonly subject = Subjects.TicketUpdated;
}
