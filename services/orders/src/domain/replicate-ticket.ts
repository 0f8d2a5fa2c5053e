import { OutOfOrderError, type EventData, type Queryable, type Subjects } from '@ticketing/common';
import {
  findTicket,
  insertTicket,
  updateTicketFromPreviousVersion,
  type TicketReplica,
} from '../data/ticket-replica-repository.js';

type TicketEvent = EventData<typeof Subjects.TicketCreated | typeof Subjects.TicketUpdated>;

const toReplica = (t: TicketEvent): TicketReplica => ({
  id: t.id,
  title: t.title,
  price: t.price,
  userId: t.userId,
  // Events from the first release carry neither: the replica keeps null (not orderable).
  venue: t.venue ?? null,
  startsAt: t.startsAt ? new Date(t.startsAt) : null,
  status: t.status,
  version: t.version,
});

/** A new ticket enters the replica; one already there is left as it is. */
export async function recordNewTicket(
  tx: Queryable,
  ticket: EventData<typeof Subjects.TicketCreated>,
): Promise<'applied' | 'already_known'> {
  return (await insertTicket(tx, toReplica(ticket))) ? 'applied' : 'already_known';
}

/**
 * Applies version N only over N-1. A version the replica already has (or passed) is stale and
 * ignored; one that skips ahead, or a ticket not known yet, came too early: OutOfOrderError
 * leaves it unacknowledged so the bus brings it back after its predecessor.
 */
export async function applyTicketUpdate(
  tx: Queryable,
  ticket: EventData<typeof Subjects.TicketUpdated>,
): Promise<'applied' | 'stale'> {
  if (await updateTicketFromPreviousVersion(tx, toReplica(ticket))) return 'applied';
  const held = await findTicket(tx, ticket.id);
  if (held && held.version >= ticket.version) return 'stale';
  throw new OutOfOrderError(
    `ticket ${ticket.id} version ${ticket.version} arrived before version ${ticket.version - 1} ` +
      `(replica holds ${held ? `version ${held.version}` : 'nothing'})`,
  );
}
