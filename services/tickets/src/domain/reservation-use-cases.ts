import { OutOfOrderError, type Queryable } from '@ticketing/common';
import { isOrderCancelled, recordCancelledOrder } from '../data/cancelled-order-repository.js';
import { lockTicket, setReservation, type TicketRecord } from '../data/ticket-repository.js';
import { TicketUpdatedPublisher } from '../data/ticket-publishers.js';
import { toTicketEvent } from './ticket-schemas.js';

/*
 * The ticket side of an order's life. The orders service decides who gets a ticket; these
 * functions follow its decisions, inside the listener's transaction, with the ticket row locked
 * so they serialize with each other and with a seller's edit. Each change bumps the version and
 * publishes ticket:updated, which the orders replica applies in version order.
 */

const ticketUpdated = new TicketUpdatedPublisher();

async function lockKnownTicket(tx: Queryable, ticketId: string): Promise<TicketRecord> {
  const ticket = await lockTicket(tx, ticketId);
  // Orders only reserve tickets it learnt about from us: retrying covers a lagging replica;
  // anything else ends in the dead-letter subject, where someone looks at it.
  if (!ticket) throw new Error(`ticket ${ticketId} is unknown`);
  return ticket;
}

async function moveTo(
  tx: Queryable,
  ticket: TicketRecord,
  state: Parameters<typeof setReservation>[2],
): Promise<void> {
  const updated = await setReservation(tx, ticket.id, state);
  await ticketUpdated.publish(tx, toTicketEvent(updated));
}

/**
 * order:created: the order (of `buyerId`) holds the ticket until it is cancelled or completed,
 * or until `expiresAt` passes: from then on, lists and reads show the ticket as available.
 * A withdrawal that raced it (orders accepted the order before learning of the withdrawal)
 * yields, as orders has already promised the ticket; if the order then ends unpaid, the ticket
 * goes back to withdrawn, not to sale.
 */
export async function reserveTicket(
  tx: Queryable,
  ticketId: string,
  order: { id: string; buyerId: string; expiresAt: Date },
) {
  const orderId = order.id;
  const ticket = await lockKnownTicket(tx, ticketId);
  if (ticket.orderId === orderId) return; // already applied
  // The order was cancelled before its creation reached us (a retry can arrive that late).
  if (await isOrderCancelled(tx, orderId)) return;
  if (ticket.orderId !== null) {
    // Orders only creates an order for a free ticket, so the order holding it here is over and
    // its cancellation is on its way: try again once it has been applied.
    throw new OutOfOrderError(
      `ticket ${ticketId} is still ${ticket.status} by order ${ticket.orderId}, not ${orderId}`,
    );
  }
  await moveTo(tx, ticket, {
    status: 'reserved',
    orderId,
    buyerId: order.buyerId,
    holdExpiresAt: order.expiresAt,
  });
}

/**
 * order:cancelled: frees the ticket if, and only if, this order still holds it: available again,
 * or withdrawn if the seller withdrew it while the order raced.
 */
export async function releaseTicket(tx: Queryable, ticketId: string, orderId: string) {
  const ticket = await lockTicket(tx, ticketId);
  await recordCancelledOrder(tx, orderId, ticketId);
  // Another order's ticket, an already released one, or a sold one: nothing to undo.
  if (!ticket || ticket.status !== 'reserved' || ticket.orderId !== orderId) return;
  await moveTo(tx, ticket, { status: 'free', orderId: null });
}

/**
 * order:completed: the order has been paid (at `paidAt`, when the event says; else now), so its
 * reserved ticket is sold, and dated so for the seller's sales.
 */
export async function sellTicket(
  tx: Queryable,
  ticketId: string,
  orderId: string,
  paidAt: Date = new Date(),
) {
  const ticket = await lockKnownTicket(tx, ticketId);
  if (ticket.orderId === orderId && ticket.status === 'sold') return; // already applied
  if (ticket.orderId !== orderId) {
    // The order:created that reserves it for this order has not been applied yet.
    throw new OutOfOrderError(`ticket ${ticketId} is not reserved by order ${orderId} yet`);
  }
  await moveTo(tx, ticket, { status: 'sold', orderId, soldAt: paidAt });
}
