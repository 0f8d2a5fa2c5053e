import { ConflictError } from '@ticketing/common';
import type { TicketReplica } from '../data/ticket-replica-repository.js';

/**
 * The ticket's own rules for a new order, read at `now` (the database's clock): 409 once the
 * seller withdrew it, once its event has started, or when it has no start at all (a listing
 * from the first release, never given a date). No job retires past listings: this reads time.
 */
export function assertTicketOrderable(ticket: TicketReplica, now: Date): void {
  if (ticket.status === 'withdrawn') throw new ConflictError('Ticket has been withdrawn');
  if (ticket.startsAt === null)
    throw new ConflictError('Ticket has no event date yet and cannot be ordered');
  if (ticket.startsAt.getTime() <= now.getTime())
    throw new ConflictError('Event has already started');
}

/**
 * When a new order's hold ends: after the reservation window, or at the event's start if that
 * comes first (nobody pays for a ticket to an event that has begun).
 */
export function holdEnd(ticket: TicketReplica, now: Date, windowSeconds: number): Date {
  const windowEnd = now.getTime() + windowSeconds * 1000;
  const start = ticket.startsAt?.getTime() ?? windowEnd;
  return new Date(Math.min(windowEnd, start));
}
