import {
  applyInVersionOrder,
  type EventData,
  type Queryable,
  type Subjects,
} from '@ticketing/common';
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

/** Version N of a ticket over N-1 (`applyInVersionOrder`: stale ignored, early refused). */
export function applyTicketUpdate(
  tx: Queryable,
  ticket: EventData<typeof Subjects.TicketUpdated>,
): Promise<'applied' | 'stale'> {
  return applyInVersionOrder({
    what: 'ticket',
    id: ticket.id,
    version: ticket.version,
    update: () => updateTicketFromPreviousVersion(tx, toReplica(ticket)),
    find: () => findTicket(tx, ticket.id),
  });
}
