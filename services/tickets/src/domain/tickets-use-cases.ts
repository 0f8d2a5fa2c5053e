import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type Database,
  type Queryable,
} from '@ticketing/common';
import { findSellerName } from '../data/seller-repository.js';
import {
  findTicket,
  insertTicket,
  listTickets as selectTickets,
  lockTicket,
  updateTicketDetails,
  type TicketRecord,
} from '../data/ticket-repository.js';
import { TicketCreatedPublisher, TicketUpdatedPublisher } from '../events/ticket-publishers.js';
import {
  toTicketEvent,
  toTicketView,
  type ListTicketsQuery,
  type TicketInput,
  type TicketView,
} from './ticket-schemas.js';

const ticketCreated = new TicketCreatedPublisher();
const ticketUpdated = new TicketUpdatedPublisher();

const withSellerName = async (db: Queryable, ticket: TicketRecord): Promise<TicketView> =>
  toTicketView({ ...ticket, sellerName: await findSellerName(db, ticket.userId) });

/** Lists the ticket and records its `ticket:created` event together, or neither. */
export async function createTicket(
  db: Database,
  sellerId: string,
  input: TicketInput,
): Promise<TicketView> {
  return db.transaction(async (tx) => {
    const ticket = await insertTicket(tx, {
      id: randomUUID(),
      title: input.title,
      description: input.description,
      price: input.price,
      userId: sellerId,
    });
    await ticketCreated.publish(tx, toTicketEvent(ticket));
    return withSellerName(tx, ticket);
  });
}

export async function listTickets(db: Database, query: ListTicketsQuery): Promise<TicketView[]> {
  return (await selectTickets(db, query)).map(toTicketView);
}

export async function getTicket(db: Database, id: string): Promise<TicketView> {
  const ticket = await findTicket(db, id);
  if (!ticket) throw new NotFoundError('Ticket not found');
  return toTicketView(ticket);
}

/**
 * Replaces the seller's fields while nobody holds the ticket. The row stays locked from the
 * checks to the commit, so a reservation arriving meanwhile waits and then sees the new version.
 * Checks run in API.md's order: unknown, then not yours, then its state.
 */
export async function editTicket(
  db: Database,
  sellerId: string,
  id: string,
  input: TicketInput,
): Promise<TicketView> {
  return db.transaction(async (tx) => {
    const ticket = await lockTicket(tx, id);
    if (!ticket) throw new NotFoundError('Ticket not found');
    if (ticket.userId !== sellerId) throw new ForbiddenError('Only the seller can edit a ticket');
    assertTicketIsEditable(ticket);
    const updated = await updateTicketDetails(tx, id, input);
    await ticketUpdated.publish(tx, toTicketEvent(updated));
    return withSellerName(tx, updated);
  });
}

function assertTicketIsEditable(ticket: TicketRecord): void {
  if (ticket.status === 'reserved')
    throw new ConflictError('Ticket is reserved and cannot be edited');
  if (ticket.status === 'sold') throw new ConflictError('Ticket is sold and cannot be edited');
}
