import type { Charge, Order, Ticket } from './types';

/**
 * What the buyer of a completed order reads from other services: the ticket (with its `code`,
 * shown by tickets to the buyer once it has learnt the order was paid) and the completed charge
 * (paid amount, card's last four). Both are eventually consistent with the order.
 */
export interface Purchase {
  ticket: Ticket;
  charge: Charge | null;
}

/** The ticket is the buyer's to read once tickets has marked it sold to this order. */
export const ticketReady = (ticket: Ticket | null, order: Order): ticket is Ticket =>
  !!ticket && ticket.status === 'sold' && ticket.orderId === order.id && 'code' in ticket;

/** The charge that paid the order, among all its attempts. */
export const paidCharge = (charges: Charge[] | null): Charge | null =>
  charges?.find((c) => c.status === 'completed') ?? null;
