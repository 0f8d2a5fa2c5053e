import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects, createEnvelope } from '@ticketing/common';
import { deliver, outboxEvents } from '../../../test-support/events.js';
import { ApiClient } from '../../../test-support/http.js';
import { newOrder, startOrders } from '../../../test-support/orders.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import { bearer, newUser } from '../../../test-support/users.js';
import { ChargeCreatedListener } from './listeners/charge-created-listener.js';
import { OrderExpiredListener } from './listeners/order-expired-listener.js';

const expired = (orderId: string) => createEnvelope(Subjects.OrderExpired, { orderId });

const charged = (orderId: string, amount: number) =>
  createEnvelope(Subjects.ChargeCreated, {
    id: randomUUID(),
    orderId,
    amount,
    providerId: `ch_${randomUUID()}`,
  });

describe.skipIf(!hasPostgres)('Order expiry and charge listeners (orders on PostgreSQL)', () => {
  let orders: RunningTestService;
  let api: ApiClient;
  let expiredListener: OrderExpiredListener;
  let chargeListener: ChargeCreatedListener;

  beforeAll(async () => {
    orders = await startOrders('orders_expiry');
    api = new ApiClient(orders.url);
    // The same listeners the service runs, to hand them single deliveries directly.
    expiredListener = new OrderExpiredListener(orders.db, 'orders');
    chargeListener = new ChargeCreatedListener(orders.db, 'orders');
  });
  afterAll(async () => orders?.stop());

  /** A ticket listed by someone else and ordered by a new buyer: an order in status created. */
  async function placeOrder() {
    const { ticket, buyer, created } = await newOrder(orders, api, { ticket: { price: 4200 } });
    expect(created.status).toBe(201);
    return { order: created.body, ticket, buyer };
  }

  const read = async (orderId: string, buyer: Record<string, string>) =>
    (await api.get(`/api/orders/${orderId}`, buyer)).body;

  it('when order:expired arrives for a created order, then it is cancelled (reason expired) and order:cancelled is recorded', async () => {
    const { order, ticket, buyer } = await placeOrder();

    await deliver(orders.bus, expired(order.id), 'orders');

    expect(await read(order.id, buyer)).toEqual({
      ...order,
      status: 'cancelled',
      version: 1,
      cancelReason: 'expired',
    });
    expect(await outboxEvents(orders.db, { id: order.id })).toEqual([
      { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
      {
        subject: 'order:cancelled',
        data: { id: order.id, version: 1, ticket: { id: ticket.id }, reason: 'expired' },
      },
    ]);
  });

  it('when an expired order is cancelled, then its ticket can be ordered again', async () => {
    const { order, ticket } = await placeOrder();

    await deliver(orders.bus, expired(order.id), 'orders');

    const again = await api.post('/api/orders', { ticketId: ticket.id }, await bearer(newUser()));
    expect(again.status).toBe(201);
  });

  it('when order:expired arrives for a completed order, then nothing changes and no event is recorded', async () => {
    const { order, buyer } = await placeOrder();
    await deliver(orders.bus, charged(order.id, 4200), 'orders');

    await deliver(orders.bus, expired(order.id), 'orders');

    expect(await read(order.id, buyer)).toMatchObject({ status: 'completed', version: 1 });
    expect((await outboxEvents(orders.db, { id: order.id })).map((e) => e.subject)).toEqual([
      'order:created',
      'order:completed',
    ]);
  });

  it('when order:expired arrives for an order the buyer cancelled, then no second cancellation is recorded', async () => {
    const { order, buyer } = await placeOrder();
    expect((await api.delete(`/api/orders/${order.id}`, buyer)).status).toBe(200);

    await deliver(orders.bus, expired(order.id), 'orders');

    expect(await read(order.id, buyer)).toMatchObject({ status: 'cancelled', version: 1 });
    expect((await outboxEvents(orders.db, { id: order.id })).map((e) => e.subject)).toEqual([
      'order:created',
      'order:cancelled',
    ]);
  });

  it('when order:expired comes twice, as a redelivery or as a second event, then the order is cancelled once', async () => {
    const { order, buyer } = await placeOrder();
    const first = expired(order.id);

    expect(await expiredListener.handle(first)).toBe(true);
    expect(await expiredListener.handle(first)).toBe(false);
    await deliver(orders.bus, expired(order.id), 'orders');

    expect(await read(order.id, buyer)).toMatchObject({ status: 'cancelled', version: 1 });
    expect((await outboxEvents(orders.db, { id: order.id })).map((e) => e.subject)).toEqual([
      'order:created',
      'order:cancelled',
    ]);
  });

  it('when order:expired names an unknown order, then it is acknowledged with no effect', async () => {
    const unknown = randomUUID();

    await deliver(orders.bus, expired(unknown), 'orders');

    expect(await outboxEvents(orders.db, { id: unknown })).toEqual([]);
  });

  it('when charge:created arrives for a created order, then it is completed and order:completed is recorded', async () => {
    const { order, ticket, buyer } = await placeOrder();

    await deliver(orders.bus, charged(order.id, 4200), 'orders');

    const completed = await read(order.id, buyer);
    expect(completed).toEqual({
      ...order,
      status: 'completed',
      version: 1,
      paidAt: expect.any(String),
    });
    expect(await outboxEvents(orders.db, { id: order.id })).toEqual([
      { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
      {
        subject: 'order:completed',
        data: { id: order.id, version: 1, ticket: { id: ticket.id }, paidAt: completed.paidAt },
      },
    ]);
  });

  it('when charge:created comes twice, as a redelivery or as a second charge, then the order is completed once', async () => {
    const { order, buyer } = await placeOrder();
    const first = charged(order.id, 4200);

    expect(await chargeListener.handle(first)).toBe(true);
    expect(await chargeListener.handle(first)).toBe(false);
    await deliver(orders.bus, charged(order.id, 4200), 'orders');

    expect(await read(order.id, buyer)).toMatchObject({ status: 'completed', version: 1 });
    expect((await outboxEvents(orders.db, { id: order.id })).map((e) => e.subject)).toEqual([
      'order:created',
      'order:completed',
    ]);
  });

  it('when charge:created arrives for an order cancelled meanwhile, then it stays cancelled and nothing is recorded', async () => {
    const { order, buyer } = await placeOrder();
    await deliver(orders.bus, expired(order.id), 'orders');

    await deliver(orders.bus, charged(order.id, 4200), 'orders');

    expect(await read(order.id, buyer)).toMatchObject({ status: 'cancelled', version: 1 });
    expect((await outboxEvents(orders.db, { id: order.id })).map((e) => e.subject)).toEqual([
      'order:created',
      'order:cancelled',
    ]);
  });

  it('when a completed order is cancelled by its buyer, then 409 and it stays completed', async () => {
    const { order, buyer } = await placeOrder();
    await deliver(orders.bus, charged(order.id, 4200), 'orders');

    const res = await api.delete(`/api/orders/${order.id}`, buyer);

    expect(res.status).toBe(409);
    expect(await read(order.id, buyer)).toMatchObject({ status: 'completed' });
  });
});
