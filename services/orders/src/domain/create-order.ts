import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  isUniqueViolation,
  type Database,
} from '@ticketing/common';
import {
  ONE_ACTIVE_ORDER_PER_TICKET,
  databaseNow,
  findHoldingOrder,
  insertOrder,
  lockHoldingOrder,
  type OrderRecord,
} from '../data/order-repository.js';
import { lockTicket } from '../data/ticket-replica-repository.js';
import { OrderCreatedPublisher } from '../events/order-publishers.js';
import { releaseHold } from './cancel-order.js';
import { toPublicOrder, type CreateOrderInput, type PublicOrder } from './order-schemas.js';

const orderCreated = new OrderCreatedPublisher();

/**
 * Reserves the ticket for the buyer for `windowSeconds`. A hold whose window has passed unpaid is
 * cancelled on the way; a live hold or a sale is a 409. The unique index on holding orders is
 * what guarantees one winner; the ticket's row lock only makes the losers wait and get a clear
 * answer instead of a constraint error.
 */
export async function createOrder(
  db: Database,
  buyerId: string,
  input: CreateOrderInput,
  options: { windowSeconds: number },
): Promise<PublicOrder> {
  try {
    return await db.transaction(async (tx) => {
      const ticket = await lockTicket(tx, input.ticketId);
      if (!ticket) throw new NotFoundError('Ticket not found');
      if (ticket.userId === buyerId) throw new ForbiddenError('You cannot order your own ticket');

      const now = await databaseNow(tx);
      const holder = await lockHoldingOrder(tx, ticket.id);
      if (holder) {
        if (!hasLapsed(holder, now)) throw ticketTaken(holder);
        await releaseHold(tx, holder);
      }

      const order = await insertOrder(tx, {
        id: randomUUID(),
        userId: buyerId,
        ticketId: ticket.id,
        expiresAt: new Date(now.getTime() + options.windowSeconds * 1000),
      });
      await orderCreated.publish(tx, {
        id: order.id,
        userId: order.userId,
        status: order.status,
        expiresAt: order.expiresAt.toISOString(),
        version: order.version,
        ticket: { id: order.ticket.id, price: order.ticket.price },
      });
      return toPublicOrder(order);
    });
  } catch (error) {
    if (isUniqueViolation(error, ONE_ACTIVE_ORDER_PER_TICKET)) {
      // Another buyer's order committed first; say whether it reserved or bought the ticket.
      const holder = await findHoldingOrder(db, input.ticketId);
      throw ticketTaken(holder);
    }
    throw error;
  }
}

/** A hold ends when its window has passed unpaid; a completed order never lapses. */
const hasLapsed = (order: OrderRecord, now: Date): boolean =>
  order.status !== 'completed' && order.expiresAt.getTime() <= now.getTime();

const ticketTaken = (holder: OrderRecord | undefined): ConflictError =>
  holder?.status === 'completed'
    ? new ConflictError('Ticket is already sold')
    : new ConflictError('Ticket is already reserved');
