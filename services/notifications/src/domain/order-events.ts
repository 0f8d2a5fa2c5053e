import {
  OutOfOrderError,
  type EventData,
  type EventEnvelope,
  type Queryable,
  type Subjects,
} from '@ticketing/common';
import { lockRecipient } from '../data/notification-repository.js';
import {
  endOrder,
  findCharge,
  findTicket,
  findUser,
  insertCharge,
  insertOrder,
  lockOrder,
  type OrderReplica,
} from '../data/replica-repository.js';
import { messages } from './messages.js';
import { isStale, notify, type NotifyContext } from './notify.js';

/** The order, or OutOfOrderError: its order:created has not been handled yet and will be. */
async function knownOrder(tx: Queryable, orderId: string): Promise<OrderReplica> {
  const order = await lockOrder(tx, orderId);
  if (!order) throw new OutOfOrderError(`order ${orderId} not known yet`);
  return order;
}

async function knownTicket(tx: Queryable, ticketId: string) {
  const ticket = await findTicket(tx, ticketId);
  if (!ticket) throw new OutOfOrderError(`ticket ${ticketId} not known yet`);
  return ticket;
}

/**
 * A new order: remembered with the time of its reminder, and its buyer told it is reserved until
 * when. The reminder is due `reminderLeadMs` before the window ends; a window shorter than that
 * gets none (the reservation notice says it all).
 */
export async function orderCreated(
  tx: Queryable,
  ctx: NotifyContext,
  envelope: EventEnvelope<typeof Subjects.OrderCreated>,
): Promise<void> {
  const data = envelope.data;
  const ticket = await knownTicket(tx, data.ticket.id);
  const expiresAt = new Date(data.expiresAt);
  const remindAt = new Date(expiresAt.getTime() - ctx.reminderLeadMs);
  const stale = isStale(envelope.occurredAt);
  await insertOrder(tx, {
    id: data.id,
    buyerId: data.userId,
    ticketId: data.ticket.id,
    price: data.ticket.price,
    expiresAt,
    remindAt: !stale && remindAt.getTime() > Date.parse(envelope.occurredAt) ? remindAt : null,
  });
  if (stale) return;
  await notify(
    tx,
    ctx,
    data.userId,
    data.id,
    messages.reservation({ id: data.id, price: data.ticket.price, expiresAt }, ticket, ctx.style),
  );
}

/**
 * The receipt to the buyer and the news to the seller, once the order is completed AND its charge
 * is known: the two events travel apart, so whichever arrives second sends them (both hold the
 * order's row lock, so one always sees the other).
 */
async function notifyPaidOrder(
  tx: Queryable,
  ctx: NotifyContext,
  order: OrderReplica,
  occurredAt: string,
): Promise<void> {
  if (order.status !== 'completed' || isStale(occurredAt)) return;
  const charge = await findCharge(tx, order.id);
  if (!charge) return;
  const ticket = await knownTicket(tx, order.ticketId);
  // Both recipients locked in one order, so two sales between the same two people (each the
  // other's buyer) never wait on each other.
  for (const userId of [order.buyerId, ticket.sellerId].sort()) await lockRecipient(tx, userId);
  await notify(
    tx,
    ctx,
    order.buyerId,
    order.id,
    messages.purchase(order, charge, ticket, ctx.style),
  );
  const buyer = await findUser(tx, order.buyerId);
  await notify(tx, ctx, ticket.sellerId, order.id, messages.sale(ticket, charge, buyer, ctx.style));
}

export async function orderCompleted(
  tx: Queryable,
  ctx: NotifyContext,
  envelope: EventEnvelope<typeof Subjects.OrderCompleted>,
): Promise<void> {
  const order = await knownOrder(tx, envelope.data.id);
  await endOrder(tx, order.id, 'completed');
  await notifyPaidOrder(
    tx,
    ctx,
    { ...order, status: order.status === 'created' ? 'completed' : order.status },
    envelope.occurredAt,
  );
}

/** A charge: kept for the receipt. Payments reports only successful charges. */
export async function chargeCreated(
  tx: Queryable,
  ctx: NotifyContext,
  envelope: EventEnvelope<typeof Subjects.ChargeCreated>,
): Promise<void> {
  const data: EventData<typeof Subjects.ChargeCreated> = envelope.data;
  const order = await knownOrder(tx, data.orderId);
  await insertCharge(tx, {
    id: data.id,
    orderId: data.orderId,
    amount: data.amount,
    last4: data.last4 ?? null,
  });
  await notifyPaidOrder(tx, ctx, order, envelope.occurredAt);
}

/**
 * A cancelled order: its reminder is dropped (it leaves the pending list by its status), and when
 * the window ran out its buyer is told. Events from before `reason` existed tell an expiry by
 * their time: the expiration service fires at or after `expiresAt`.
 */
export async function orderCancelled(
  tx: Queryable,
  ctx: NotifyContext,
  envelope: EventEnvelope<typeof Subjects.OrderCancelled>,
): Promise<void> {
  const order = await knownOrder(tx, envelope.data.id);
  const reason =
    envelope.data.reason ??
    (Date.parse(envelope.occurredAt) >= order.expiresAt.getTime() ? 'expired' : 'buyer');
  await endOrder(tx, order.id, 'cancelled', reason);
  if (order.status !== 'created' || reason !== 'expired' || isStale(envelope.occurredAt)) return;
  const ticket = await knownTicket(tx, order.ticketId);
  await notify(tx, ctx, order.buyerId, order.id, messages.expired(order, ticket, ctx.style));
}
