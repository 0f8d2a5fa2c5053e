import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Subjects,
  createEnvelope,
  loadConfig,
  signSession,
  type BusEventMap,
  type EventBus,
  type EventData,
  type EventEnvelope,
  type SessionUser,
} from '@ticketing/common';
import { ApiClient } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import {
  TEST_JWT_KEY,
  startTestService,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import { ordersSettings } from './config.js';
import { ChargeCreatedListener } from './events/charge-created-listener.js';
import { OrderExpiredListener } from './events/order-expired-listener.js';
import { createOrdersService } from './service.js';

const config = () => loadConfig(ordersSettings, { JWT_KEY: TEST_JWT_KEY });

const newUser = (name = 'Buyer'): SessionUser => {
  const id = randomUUID();
  return { id, email: `${id}@example.com`, name };
};

/** Request headers that sign `user` in with a Bearer token. */
const as = async (user: SessionUser) => ({
  authorization: `Bearer ${await signSession(user, TEST_JWT_KEY, 3600)}`,
});

/** Publishes on the bus and resolves once the orders service has acknowledged the event. */
function deliver(bus: EventBus, envelope: EventEnvelope): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: unknown) => {
      bus.off('acked', onAck);
      bus.off('dead-lettered', onDead);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve();
    };
    const onAck = (fact: BusEventMap['acked'][0]) => {
      if (fact.consumer === 'orders' && fact.envelope.id === envelope.id) settle();
    };
    const onDead = (fact: BusEventMap['dead-lettered'][0]) => {
      if (fact.consumer === 'orders' && fact.eventId === envelope.id)
        settle(new Error(`dead-lettered: ${fact.reason}`));
    };
    bus.on('acked', onAck);
    bus.on('dead-lettered', onDead);
    bus.publish(envelope).catch(settle);
  });
}

const expired = (orderId: string) => createEnvelope(Subjects.OrderExpired, { orderId });

const charged = (orderId: string, amount: number) =>
  createEnvelope(Subjects.ChargeCreated, {
    id: randomUUID(),
    orderId,
    amount,
    providerId: `ch_${randomUUID()}`,
  });

interface OutboxEvent {
  subject: string;
  data: Record<string, any>;
}

/** What the orders service recorded about one order, oldest first. */
async function eventsOf(running: RunningTestService, orderId: string) {
  const { rows } = await running.db.query<{ envelope: OutboxEvent }>(
    `SELECT envelope FROM outbox WHERE envelope->'data'->>'id' = $1 ORDER BY seq`,
    [orderId],
  );
  return rows.map((r) => ({ subject: r.envelope.subject, data: r.envelope.data }));
}

describe.skipIf(!hasPostgres)('Order expiry and charge listeners (orders on PostgreSQL)', () => {
  let orders: RunningTestService;
  let api: ApiClient;
  let expiredListener: OrderExpiredListener;
  let chargeListener: ChargeCreatedListener;

  beforeAll(async () => {
    orders = await startTestService((deps) => createOrdersService(deps, config()), {
      postgres: true,
      name: 'orders_expiry',
    });
    api = new ApiClient(orders.url);
    // The same listeners the service runs, to hand them single deliveries directly.
    expiredListener = new OrderExpiredListener(orders.db, 'orders');
    chargeListener = new ChargeCreatedListener(orders.db, 'orders');
  });
  afterAll(async () => orders?.stop());

  /** A ticket listed by someone else and ordered by a new buyer: an order in status created. */
  async function placeOrder() {
    const ticket: EventData<typeof Subjects.TicketCreated> = {
      id: randomUUID(),
      title: 'Concert',
      price: 4200,
      userId: randomUUID(),
      status: 'available',
      orderId: null,
      version: 0,
    };
    await deliver(orders.bus, createEnvelope(Subjects.TicketCreated, ticket));
    const buyer = await as(newUser());
    const res = await api.post('/api/orders', { ticketId: ticket.id }, buyer);
    expect(res.status).toBe(201);
    return { order: res.body, ticket, buyer };
  }

  const read = async (orderId: string, buyer: Record<string, string>) =>
    (await api.get(`/api/orders/${orderId}`, buyer)).body;

  it('when order:expired arrives for a created order, then it is cancelled and order:cancelled is recorded', async () => {
    const { order, ticket, buyer } = await placeOrder();

    await deliver(orders.bus, expired(order.id));

    expect(await read(order.id, buyer)).toEqual({ ...order, status: 'cancelled', version: 1 });
    expect(await eventsOf(orders, order.id)).toEqual([
      { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
      { subject: 'order:cancelled', data: { id: order.id, version: 1, ticket: { id: ticket.id } } },
    ]);
  });

  it('when an expired order is cancelled, then its ticket can be ordered again', async () => {
    const { order, ticket } = await placeOrder();

    await deliver(orders.bus, expired(order.id));

    const again = await api.post('/api/orders', { ticketId: ticket.id }, await as(newUser()));
    expect(again.status).toBe(201);
  });

  it('when order:expired arrives for a completed order, then nothing changes and no event is recorded', async () => {
    const { order, buyer } = await placeOrder();
    await deliver(orders.bus, charged(order.id, 4200));

    await deliver(orders.bus, expired(order.id));

    expect(await read(order.id, buyer)).toMatchObject({ status: 'completed', version: 1 });
    expect((await eventsOf(orders, order.id)).map((e) => e.subject)).toEqual([
      'order:created',
      'order:completed',
    ]);
  });

  it('when order:expired arrives for an order the buyer cancelled, then no second cancellation is recorded', async () => {
    const { order, buyer } = await placeOrder();
    expect((await api.delete(`/api/orders/${order.id}`, buyer)).status).toBe(200);

    await deliver(orders.bus, expired(order.id));

    expect(await read(order.id, buyer)).toMatchObject({ status: 'cancelled', version: 1 });
    expect((await eventsOf(orders, order.id)).map((e) => e.subject)).toEqual([
      'order:created',
      'order:cancelled',
    ]);
  });

  it('when order:expired comes twice, as a redelivery or as a second event, then the order is cancelled once', async () => {
    const { order, buyer } = await placeOrder();
    const first = expired(order.id);

    expect(await expiredListener.handle(first)).toBe(true);
    expect(await expiredListener.handle(first)).toBe(false);
    await deliver(orders.bus, expired(order.id));

    expect(await read(order.id, buyer)).toMatchObject({ status: 'cancelled', version: 1 });
    expect((await eventsOf(orders, order.id)).map((e) => e.subject)).toEqual([
      'order:created',
      'order:cancelled',
    ]);
  });

  it('when order:expired names an unknown order, then it is acknowledged with no effect', async () => {
    const unknown = randomUUID();

    await deliver(orders.bus, expired(unknown));

    expect(await eventsOf(orders, unknown)).toEqual([]);
  });

  it('when charge:created arrives for a created order, then it is completed and order:completed is recorded', async () => {
    const { order, ticket, buyer } = await placeOrder();

    await deliver(orders.bus, charged(order.id, 4200));

    expect(await read(order.id, buyer)).toEqual({ ...order, status: 'completed', version: 1 });
    expect(await eventsOf(orders, order.id)).toEqual([
      { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
      { subject: 'order:completed', data: { id: order.id, version: 1, ticket: { id: ticket.id } } },
    ]);
  });

  it('when charge:created comes twice, as a redelivery or as a second charge, then the order is completed once', async () => {
    const { order, buyer } = await placeOrder();
    const first = charged(order.id, 4200);

    expect(await chargeListener.handle(first)).toBe(true);
    expect(await chargeListener.handle(first)).toBe(false);
    await deliver(orders.bus, charged(order.id, 4200));

    expect(await read(order.id, buyer)).toMatchObject({ status: 'completed', version: 1 });
    expect((await eventsOf(orders, order.id)).map((e) => e.subject)).toEqual([
      'order:created',
      'order:completed',
    ]);
  });

  it('when charge:created arrives for an order cancelled meanwhile, then it stays cancelled and nothing is recorded', async () => {
    const { order, buyer } = await placeOrder();
    await deliver(orders.bus, expired(order.id));

    await deliver(orders.bus, charged(order.id, 4200));

    expect(await read(order.id, buyer)).toMatchObject({ status: 'cancelled', version: 1 });
    expect((await eventsOf(orders, order.id)).map((e) => e.subject)).toEqual([
      'order:created',
      'order:cancelled',
    ]);
  });

  it('when a completed order is cancelled by its buyer, then 409 and it stays completed', async () => {
    const { order, buyer } = await placeOrder();
    await deliver(orders.bus, charged(order.id, 4200));

    const res = await api.delete(`/api/orders/${order.id}`, buyer);

    expect(res.status).toBe(409);
    expect(await read(order.id, buyer)).toMatchObject({ status: 'completed' });
  });
});
