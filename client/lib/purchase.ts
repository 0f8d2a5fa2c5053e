import type { Charge, Order, Ticket } from './types';

/** The ticket is the buyer's to read once tickets has marked it sold to this order. */
export const ticketReady = (ticket: Ticket | null, order: Order): ticket is Ticket =>
  !!ticket && ticket.status === 'sold' && ticket.orderId === order.id && 'code' in ticket;

/** The charge that paid the order, among all its attempts. */
export const paidCharge = (charges: Charge[] | null): Charge | null =>
  charges?.find((c) => c.status === 'completed') ?? null;
