import { Listener, Subjects, type EventData, type Queryable } from '@ticketing/common';
import { reserveTicket } from '../domain/reservation-use-cases.js';

/** Reserves the ordered ticket for the new order. */
export class OrderCreatedListener extends Listener<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;

  async onMessage(data: EventData<typeof Subjects.OrderCreated>, tx: Queryable): Promise<void> {
    await reserveTicket(tx, data.ticket.id, {
      id: data.id,
      buyerId: data.userId,
      expiresAt: new Date(data.expiresAt),
    });
  }
}
