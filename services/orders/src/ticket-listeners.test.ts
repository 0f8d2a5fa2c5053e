import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OutOfOrderError,
  Subjects,
  createEnvelope,
  type BusEventMap,
  type EventData,
} from '@ticketing/common';
import { deliver, nextRefusal } from '../../../test-support/events.js';
import { ApiClient } from '../../../test-support/http.js';
import { listTicket, startOrders } from '../../../test-support/orders.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import { bearer, newUser } from '../../../test-support/users.js';
import { TicketCreatedListener } from './listeners/ticket-created-listener.js';
import { TicketUpdatedListener } from './listeners/ticket-updated-listener.js';

type TicketData = EventData<typeof Subjects.TicketCreated>;

const updated = (ticket: TicketData, version: number, over: Partial<TicketData> = {}) =>
  createEnvelope(Subjects.TicketUpdated, { ...ticket, version, ...over });

async function replicaOf(running: RunningTestService, id: string) {
  const { rows } = await running.db.query(
    'SELECT id, title, price, user_id AS "userId", version FROM tickets WHERE id = $1',
    [id],
  );
  return rows[0];
}

describe.skipIf(!hasPostgres)('Ticket replica listeners (orders on PostgreSQL)', () => {
  let orders: RunningTestService;
  let created: TicketCreatedListener;
  let updatedListener: TicketUpdatedListener;

  beforeAll(async () => {
    orders = await startOrders('orders_listeners');
    // The same listeners the service runs, to hand them single deliveries directly.
    created = new TicketCreatedListener(orders.db, 'orders');
    updatedListener = new TicketUpdatedListener(orders.db, 'orders');
  });
  afterAll(async () => orders?.stop());

  it('when ticket:created arrives, then the replica holds the ticket at version 0', async () => {
    const ticket = await listTicket(orders, { title: 'Jazz night', price: 3500 });
    expect(await replicaOf(orders, ticket.id)).toEqual({
      id: ticket.id,
      title: 'Jazz night',
      price: 3500,
      userId: ticket.userId,
      version: 0,
    });
  });

  it('when ticket:updated versions arrive in order, then each is applied', async () => {
    const ticket = await listTicket(orders);
    await deliver(orders.bus, updated(ticket, 1, { title: 'v1', price: 1100 }), 'orders');
    await deliver(orders.bus, updated(ticket, 2, { title: 'v2', price: 1200 }), 'orders');
    expect(await replicaOf(orders, ticket.id)).toMatchObject({
      title: 'v2',
      price: 1200,
      version: 2,
    });
  });

  it('when v2 is published before v1, then v2 is refused as out of order and applied after v1', async () => {
    const ticket = await listTicket(orders, { title: 'v0' });
    const v1 = updated(ticket, 1, { title: 'v1', price: 1100 });
    const v2 = updated(ticket, 2, { title: 'v2', price: 1200 });

    const refused = nextRefusal(orders.bus, 'orders', Subjects.TicketUpdated);
    const v2Applied = deliver(orders.bus, v2, 'orders');
    expect(await refused).toBeInstanceOf(OutOfOrderError);
    expect(await replicaOf(orders, ticket.id)).toMatchObject({ title: 'v0', version: 0 });

    await deliver(orders.bus, v1, 'orders');
    await v2Applied;

    expect(await replicaOf(orders, ticket.id)).toMatchObject({
      title: 'v2',
      price: 1200,
      version: 2,
    });
    const { rows } = await orders.db.query<{ event_id: string }>(
      'SELECT event_id FROM inbox WHERE event_id = ANY($1)',
      [[v1.id, v2.id]],
    );
    expect(rows.map((r) => r.event_id).sort()).toEqual([v1.id, v2.id].sort());
  });

  it('when ticket:updated comes before ticket:created, then it is refused until the ticket is known', async () => {
    const ticket: TicketData = {
      id: randomUUID(),
      title: 'Early',
      price: 1000,
      userId: randomUUID(),
      status: 'available',
      orderId: null,
      version: 0,
    };
    const v1 = updated(ticket, 1, { title: 'Later' });
    await expect(updatedListener.handle(v1)).rejects.toBeInstanceOf(OutOfOrderError);
    expect(await replicaOf(orders, ticket.id)).toBeUndefined();

    expect(await created.handle(createEnvelope(Subjects.TicketCreated, ticket))).toBe(true);
    // The refused delivery left no inbox row, so its redelivery is applied.
    expect(await updatedListener.handle(v1)).toBe(true);
    expect(await replicaOf(orders, ticket.id)).toMatchObject({ title: 'Later', version: 1 });
  });

  it('when the same envelope is delivered twice, then it takes effect once', async () => {
    const ticket = await listTicket(orders, { price: 1000 });
    const v1 = updated(ticket, 1, { price: 2000 });
    expect(await updatedListener.handle(v1)).toBe(true);
    // A second v1 with the same id (a redelivery) must not be mistaken for anything new.
    expect(await updatedListener.handle(v1)).toBe(false);
    expect(await replicaOf(orders, ticket.id)).toMatchObject({ price: 2000, version: 1 });

    const again = createEnvelope(Subjects.TicketCreated, ticket);
    expect(await created.handle(again)).toBe(true);
    expect(await created.handle(again)).toBe(false);
    expect(await replicaOf(orders, ticket.id)).toMatchObject({ price: 2000, version: 1 });
  });

  it('when ticket:created comes again for a known ticket, then the replica is left as it is', async () => {
    const ticket = await listTicket(orders, { title: 'Original' });
    await deliver(
      orders.bus,
      createEnvelope(Subjects.TicketCreated, { ...ticket, title: 'Imposter' }),
      'orders',
    );
    expect(await replicaOf(orders, ticket.id)).toMatchObject({ title: 'Original', version: 0 });
  });

  it('when v1 arrives after v2, then it is acknowledged as stale with no effect', async () => {
    const ticket = await listTicket(orders);
    await deliver(orders.bus, updated(ticket, 1, { title: 'v1' }), 'orders');
    await deliver(orders.bus, updated(ticket, 2, { title: 'v2' }), 'orders');

    const staleV1 = updated(ticket, 1, { title: 'stale v1' });
    expect(await updatedListener.handle(staleV1)).toBe(true);
    await deliver(orders.bus, updated(ticket, 2, { title: 'stale v2' }), 'orders');

    expect(await replicaOf(orders, ticket.id)).toMatchObject({ title: 'v2', version: 2 });
  });

  it('when a ticket:updated payload is malformed, then it is dead-lettered and the next one applies', async () => {
    const ticket = await listTicket(orders);
    const poisoned = updated(ticket, 1);
    (poisoned.data as Record<string, unknown>).price = 'free';
    const dead = new Promise<BusEventMap['dead-lettered'][0]>((resolve) => {
      const onDead = (fact: BusEventMap['dead-lettered'][0]) => {
        // A payload that does not parse has no trustworthy id: match on consumer and subject.
        if (fact.consumer !== 'orders' || fact.subject !== Subjects.TicketUpdated) return;
        orders.bus.off('dead-lettered', onDead);
        resolve(fact);
      };
      orders.bus.on('dead-lettered', onDead);
    });
    await orders.bus.publish(poisoned);
    expect(await dead).toMatchObject({ deliveryCount: 1, reason: expect.stringMatching(/price/) });

    await deliver(orders.bus, updated(ticket, 1, { title: 'fine' }), 'orders');
    expect(await replicaOf(orders, ticket.id)).toMatchObject({ title: 'fine', version: 1 });
  });

  it('when the price changes, then new orders carry the new price', async () => {
    const ticket = await listTicket(orders, { price: 1000 });
    await deliver(orders.bus, updated(ticket, 1, { price: 2550 }), 'orders');

    const res = await new ApiClient(orders.url).post(
      '/api/orders',
      { ticketId: ticket.id },
      await bearer(newUser()),
    );

    expect(res.status).toBe(201);
    expect(res.body.ticket.price).toBe(25.5);
    const { rows } = await orders.db.query<{ price: number }>(
      `SELECT (envelope->'data'->'ticket'->>'price')::int AS price FROM outbox
       WHERE subject = 'order:created' AND envelope->'data'->>'id' = $1`,
      [res.body.id],
    );
    expect(rows).toEqual([{ price: 2550 }]);
  });
});
