import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  isUniqueViolation,
  type Database,
  type Queryable,
} from '@ticketing/common';
import { findSellerName } from '../data/seller-repository.js';
import {
  ONE_CODE_PER_EVENT,
  findTicket,
  insertTicket,
  listTickets as selectTickets,
  lockTicket,
  markWithdrawn,
  updateTicketDetails,
  withdrawAvailableOfSeller,
  withdrawReservedOfSellerOnRelease,
  type TicketRecord,
} from '../data/ticket-repository.js';
import { TicketCreatedPublisher, TicketUpdatedPublisher } from '../data/ticket-publishers.js';
import {
  toTicketEvent,
  toTicketView,
  type ListTicketsQuery,
  type TicketInput,
  type TicketView,
} from './ticket-schemas.js';

const ticketCreated = new TicketCreatedPublisher();
const ticketUpdated = new TicketUpdatedPublisher();

/** The answer to a seller's change: the public view (API.md shows the code on GET only). */
const withSellerName = async (db: Queryable, ticket: TicketRecord): Promise<TicketView> =>
  toTicketView({ ...ticket, sellerName: await findSellerName(db, ticket.userId) });

/**
 * The same code on two live listings of one event: the unique index refused the second. The
 * message does not say whose listing holds it.
 */
async function refusingDuplicateCode<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, ONE_CODE_PER_EVENT))
      throw new ConflictError('This code is already on a listing for the same event', 'code');
    throw error;
  }
}

/**
 * Lists the ticket and records its `ticket:created` event together, or neither. 409 (field
 * `code`) when its code is already on a live listing for the same event.
 */
export async function createTicket(
  db: Database,
  sellerId: string,
  input: TicketInput,
): Promise<TicketView> {
  return refusingDuplicateCode(() =>
    db.transaction(async (tx) => {
      const ticket = await insertTicket(tx, { id: randomUUID(), userId: sellerId, ...input });
      await ticketCreated.publish(tx, toTicketEvent(ticket));
      return withSellerName(tx, ticket);
    }),
  );
}

/** One page of listings (never with codes): the public list, or one seller's listings. */
export async function listTickets(db: Database, query: ListTicketsQuery): Promise<TicketView[]> {
  return (await selectTickets(db, query)).map((t) => toTicketView(t));
}

/** One ticket in any status; its code only for a viewer who may read it (`mayReadCode`). */
export async function getTicket(
  db: Database,
  id: string,
  viewerId: string | undefined,
): Promise<TicketView> {
  const ticket = await findTicket(db, id);
  if (!ticket) throw new NotFoundError('Ticket not found');
  return toTicketView(ticket, viewerId);
}

/**
 * Locks the ticket and runs API.md's checks in order for a seller's change: unknown (404), not
 * yours (403); the state checks (409) are the caller's.
 */
async function lockOwnTicket(
  tx: Queryable,
  sellerId: string,
  id: string,
  action: string,
): Promise<TicketRecord> {
  const ticket = await lockTicket(tx, id);
  if (!ticket) throw new NotFoundError('Ticket not found');
  if (ticket.userId !== sellerId)
    throw new ForbiddenError(`Only the seller can ${action} a ticket`);
  return ticket;
}

/**
 * Replaces the seller's fields while nobody holds the ticket. The row stays locked from the
 * checks to the commit, so a reservation arriving meanwhile waits and then sees the new version.
 * 404, 403, then 409 when reserved, sold or withdrawn, or when the code is taken.
 */
export async function editTicket(
  db: Database,
  sellerId: string,
  id: string,
  input: TicketInput,
): Promise<TicketView> {
  return refusingDuplicateCode(() =>
    db.transaction(async (tx) => {
      const ticket = await lockOwnTicket(tx, sellerId, id, 'edit');
      assertTicketIsEditable(ticket);
      const updated = await updateTicketDetails(tx, id, input);
      await ticketUpdated.publish(tx, toTicketEvent(updated));
      return withSellerName(tx, updated);
    }),
  );
}

/**
 * Takes the listing down: status `withdrawn`, published as ticket:updated so orders refuses it.
 * Withdrawing again changes nothing (no new version or event). 404, 403, then 409 while an
 * order holds the ticket (reserved) or once it is sold.
 */
export async function withdrawTicket(
  db: Database,
  sellerId: string,
  id: string,
): Promise<TicketView> {
  return db.transaction(async (tx) => {
    const ticket = await lockOwnTicket(tx, sellerId, id, 'withdraw');
    if (ticket.status === 'withdrawn') return withSellerName(tx, ticket);
    if (ticket.status === 'reserved')
      throw new ConflictError('Ticket is reserved and cannot be withdrawn');
    if (ticket.status === 'sold') throw new ConflictError('Ticket is sold and cannot be withdrawn');
    const withdrawn = await markWithdrawn(tx, id);
    await ticketUpdated.publish(tx, toTicketEvent(withdrawn));
    return withSellerName(tx, withdrawn);
  });
}

/**
 * Withdraws every listing of the seller that is still available, inside the caller's
 * transaction (for example a `user:suspended` listener's), each with its ticket:updated event.
 * Reserved and sold tickets are left to their orders; a reserved one is withdrawn when its
 * order ends unpaid, instead of going back on sale. Returns how many were withdrawn now.
 */
export async function withdrawAllAvailableListings(
  tx: Queryable,
  sellerId: string,
): Promise<number> {
  await withdrawReservedOfSellerOnRelease(tx, sellerId);
  const withdrawn = await withdrawAvailableOfSeller(tx, sellerId);
  for (const ticket of withdrawn) await ticketUpdated.publish(tx, toTicketEvent(ticket));
  return withdrawn.length;
}

function assertTicketIsEditable(ticket: TicketRecord): void {
  if (ticket.status === 'reserved')
    throw new ConflictError('Ticket is reserved and cannot be edited');
  if (ticket.status === 'sold') throw new ConflictError('Ticket is sold and cannot be edited');
  if (ticket.status === 'withdrawn')
    throw new ConflictError('Ticket has been withdrawn and cannot be edited');
}
