import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  databaseNow,
  isUniqueViolation,
  type Database,
  type Queryable,
} from '@ticketing/common';
import {
  ONE_ACTIVE_ORDER_PER_TICKET,
  ONE_UNPAID_ORDER_PER_SLOT,
  findHoldingOrder,
  insertOrderRecordingEvent,
  lockHoldingOrder,
  readReservation,
  soonestUnpaidExpiry,
  type OrderRecord,
  type ReservationView,
} from '../data/order-repository.js';
import { lockTicket, type TicketReplica } from '../data/ticket-replica-repository.js';
import { OrderCreatedPublisher } from '../data/order-publishers.js';
import { releaseHold } from './cancel-order.js';
import { ReservationRounds, type Turn, type TurnOutcome } from './reservation-rounds.js';
import { assertTicketOrderable, holdEnd } from './orderable.js';
import { toPublicOrder, type CreateOrderInput, type PublicOrder } from './order-schemas.js';

const orderCreated = new OrderCreatedPublisher();

/** Rolls back the takeover when the buyer has no free slot, so the lapsed hold stays as it was. */
const NO_FREE_SLOT = new Error('no free unpaid slot');

interface ReservationOptions {
  windowSeconds: number;
  /** Unpaid reservations one buyer may hold at once (MAX_ACTIVE_ORDERS_PER_USER). */
  maxUnpaid: number;
  /** Shares reads among the orders for one ticket arriving together; absent, each reads alone. */
  rounds?: OrderRounds;
}

/** The rounds an orders service shares among its `createOrder` calls (see `ReservationRounds`). */
export type OrderRounds = ReservationRounds<ReservationView, OrderRecord>;

/** Rounds reading each ticket's reservation view from `db`. */
export function orderRounds(db: Queryable): OrderRounds {
  return new ReservationRounds((ticketId) => readReservation(db, ticketId));
}

/**
 * Reserves the ticket for the buyer for `windowSeconds`: 201 with the order, 404 for an unknown
 * ticket, 403 for the seller's own ticket, 409 while another order holds it or once it is sold,
 * 429 when the buyer already holds `maxUnpaid` unpaid reservations.
 *
 * The usual path is two statements and no lock: one read of the ticket, its holder and the
 * database's clock, which answers every loser of a hot ticket at once; then one statement that
 * inserts the order with its `order:created` outbox row. With `rounds`, the orders for one ticket
 * that arrive together share that read, and the winner's new hold answers the rest (a thousand
 * buyers of one ticket cost a few statements, not a thousand). The unique index on holding orders
 * is what guarantees one winner: buyers who read "free" together (in other processes) race on
 * it, and the losers get 409 from the holder it names. Only a hold whose window has passed unpaid
 * takes the locking path, which cancels it on the way (`takeOverLapsedHold`).
 */
export async function createOrder(
  db: Database,
  buyerId: string,
  input: CreateOrderInput,
  options: ReservationOptions,
): Promise<PublicOrder> {
  const turn = reservationTurn(db, buyerId, options);
  const order = options.rounds
    ? await options.rounds.run(input.ticketId, turn)
    : await answerOf(await turn(await readReservation(db, input.ticketId)));
  return toPublicOrder(order);
}

const answerOf = async <R>({ answer }: TurnOutcome<unknown, R>): Promise<R> => {
  if ('value' in answer) return answer.value;
  throw answer.error;
};

/**
 * One buyer's decision on a reservation view: refuse by the rules, take over a lapsed hold, or
 * reserve. Says which view holds after it, for the next order of the round.
 */
function reservationTurn(
  db: Database,
  buyerId: string,
  options: ReservationOptions,
): Turn<ReservationView, OrderRecord> {
  return async (view) => {
    let ticket: TicketReplica;
    try {
      ticket = refuseUnlessReservable(view, buyerId);
    } catch (error) {
      return { answer: { error }, view };
    }
    try {
      const order = view.holder
        ? await takeOverLapsedHold(db, buyerId, ticket.id, options)
        : await reserveInFreeSlot(db, buyerId, ticket, view.now, options);
      return { answer: { value: order }, view: { ...view, ticket, holder: order } };
    } catch (error) {
      // Lost to another process: the holder it names is the new view. No free slot: nothing was
      // written. Anything else: unknown, the next order reads again.
      if (error instanceof TicketTaken)
        return { answer: { error }, view: error.holder && { ...view, holder: error.holder } };
      if (error instanceof TooManyRequestsError) return { answer: { error }, view };
      return { answer: { error }, view: undefined };
    }
  };
}

/** The ticket is held by an order that committed first; `holder` is that order when found. */
class TicketTaken extends ConflictError {
  constructor(readonly holder: OrderRecord | undefined) {
    super(holder?.status === 'completed' ? 'Ticket is already sold' : 'Ticket is already reserved');
  }
}

/** Inserts the order in a free unpaid slot of the buyer's; 409 when another order won first. */
function reserveInFreeSlot(
  db: Database,
  buyerId: string,
  ticket: TicketReplica,
  now: Date,
  options: ReservationOptions,
): Promise<OrderRecord> {
  return inFreeSlot(db, buyerId, options, async () => {
    try {
      return await reserve(db, buyerId, ticket, now, options);
    } catch (error) {
      if (isUniqueViolation(error, ONE_ACTIVE_ORDER_PER_TICKET)) {
        // Another buyer's order committed first; say whether it reserved or bought the ticket.
        throw new TicketTaken(await findHoldingOrder(db, ticket.id));
      }
      throw error;
    }
  });
}

/**
 * Runs `attempt` (one reservation statement) until it takes one of the buyer's unpaid slots: a
 * parallel order of the same buyer that took the same slot first makes it try again, and it sees
 * that slot taken. No slot left is a 429 whose Retry-After is when the soonest hold lapses.
 */
async function inFreeSlot(
  db: Queryable,
  buyerId: string,
  options: ReservationOptions,
  attempt: () => Promise<OrderRecord | undefined>,
): Promise<OrderRecord> {
  // Each lost race means another order took a slot: after maxUnpaid of them none is left.
  for (let tries = 0; tries <= options.maxUnpaid; tries++) {
    try {
      const order = await attempt();
      if (order) return order;
      break;
    } catch (error) {
      if (!isUniqueViolation(error, ONE_UNPAID_ORDER_PER_SLOT)) throw error;
    }
  }
  throw await tooManyUnpaid(db, buyerId, options.maxUnpaid);
}

async function tooManyUnpaid(
  db: Queryable,
  buyerId: string,
  maxUnpaid: number,
): Promise<TooManyRequestsError> {
  const soonest = await soonestUnpaidExpiry(db, buyerId);
  const seconds = soonest
    ? Math.ceil((soonest.expiresAt.getTime() - soonest.now.getTime()) / 1000)
    : 1;
  return new TooManyRequestsError(
    Math.max(1, seconds),
    `You already hold ${maxUnpaid} unpaid reservations, the most one buyer may hold: ` +
      'pay for or cancel one first',
  );
}

/**
 * The rules a reservation obeys, decided on what was read: returns the ticket to reserve, or
 * throws the answer. A lapsed holder is let through (the caller cancels it under lock).
 */
function refuseUnlessReservable(
  { ticket, holder, now }: ReservationView,
  buyerId: string,
): TicketReplica {
  if (!ticket) throw new NotFoundError('Ticket not found');
  if (ticket.userId === buyerId) throw new ForbiddenError('You cannot order your own ticket');
  assertTicketOrderable(ticket, now);
  if (holder && !hasLapsed(holder, now)) throw new TicketTaken(holder);
  return ticket;
}

/**
 * Inserts the order and its `order:created` event in one statement, in a free unpaid slot of the
 * buyer's; undefined when none is free.
 */
function reserve(
  db: Queryable,
  buyerId: string,
  ticket: TicketReplica,
  now: Date,
  options: ReservationOptions,
): Promise<OrderRecord | undefined> {
  const order = {
    id: randomUUID(),
    userId: buyerId,
    ticketId: ticket.id,
    expiresAt: holdEnd(ticket, now, options.windowSeconds),
  };
  const event = orderCreated.envelope({
    id: order.id,
    userId: order.userId,
    status: 'created',
    expiresAt: order.expiresAt.toISOString(),
    version: 0,
    ticket: { id: ticket.id, price: ticket.price },
  });
  return insertOrderRecordingEvent(db, order, event, options.maxUnpaid);
}

/**
 * The rare path: the holder's window has passed unpaid. Under the ticket's row lock (so buyers
 * racing for the same lapsed hold queue here, and it is cancelled once) the holder is read and
 * locked again, the rules re-applied, the hold cancelled and the new order inserted.
 */
async function takeOverLapsedHold(
  db: Database,
  buyerId: string,
  ticketId: string,
  options: ReservationOptions,
): Promise<OrderRecord> {
  return inFreeSlot(db, buyerId, options, async () => {
    try {
      // A buyer without a free slot leaves the lapsed hold for the expiration to cancel.
      return await db.transaction(async (tx) => {
        const locked = await lockTicket(tx, ticketId);
        const now = await databaseNow(tx);
        const holder = await lockHoldingOrder(tx, ticketId);
        const ticket = refuseUnlessReservable({ ticket: locked, holder, now }, buyerId);
        if (holder) await releaseHold(tx, holder, 'expired');
        const reserved = await reserve(tx, buyerId, ticket, now, options);
        if (!reserved) throw NO_FREE_SLOT;
        return reserved;
      });
    } catch (error) {
      if (error === NO_FREE_SLOT) return undefined;
      if (isUniqueViolation(error, ONE_ACTIVE_ORDER_PER_TICKET)) {
        throw new TicketTaken(await findHoldingOrder(db, ticketId));
      }
      throw error;
    }
  });
}

/** A hold ends when its window has passed unpaid; a completed order never lapses. */
const hasLapsed = (order: OrderRecord, now: Date): boolean =>
  order.status !== 'completed' && order.expiresAt.getTime() <= now.getTime();
