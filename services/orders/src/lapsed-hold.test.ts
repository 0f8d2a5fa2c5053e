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
import { ApiClient, eventually } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import {
  TEST_JWT_KEY,
  startTestService,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import { ordersSettings } from './config.js';
import { createOrdersService } from './service.js';

const config = (env: Record<string, string> = {}) =>
  loadConfig(ordersSettings, { JWT_KEY: TEST_JWT_KEY, ...env });

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

/** Lists a ticket for sale as the tickets service would announce it: the replica learns of it. */
async function listTicket(
  running: RunningTestService,
  over: Partial<EventData<typeof Subjects.TicketCreated>> = {},
) {
  const ticket: EventData<typeof Subjects.TicketCreated> = {
    id: randomUUID(),
    title: 'Concert',
    price: 1999,
    userId: randomUUID(),
    status: 'available',
    orderId: null,
    version: 0,
    ...over,
  };
  await deliver(running.bus, createEnvelope(Subjects.TicketCreated, ticket));
  return ticket;
}

interface OutboxEvent {
  subject: string;
  data: Record<string, any>;
}

async function outboxEventsFor(running: RunningTestService, orderId: string) {
  const { rows } = await running.db.query<{ envelope: OutboxEvent }>(
    `SELECT envelope FROM outbox WHERE envelope->'data'->>'id' = $1 ORDER BY seq`,
    [orderId],
  );
  return rows.map((r) => ({ subject: r.envelope.subject, data: r.envelope.data }));
}

/** Polls the database's clock, the one the service decides by, until `time` has passed. */
async function untilPassed(running: RunningTestService, time: string): Promise<void> {
  await eventually(
    async () =>
      (
        await running.db.query<{ passed: boolean }>('SELECT now() > $1::timestamptz AS passed', [
          time,
        ])
      ).rows[0]!.passed,
    Boolean,
    30_000,
  );
}

describe.skipIf(!hasPostgres)('Lapsed holds (orders on PostgreSQL, 1-second window)', () => {
  let orders: RunningTestService;
  let api: ApiClient;

  beforeAll(async () => {
    orders = await startTestService(
      (deps) => createOrdersService(deps, config({ RESERVATION_WINDOW_SECONDS: '1' })),
      { postgres: true, name: 'orders_lapse' },
    );
    api = new ApiClient(orders.url);
  });
  afterAll(async () => orders?.stop());

  it('when a hold has lapsed unpaid, then the next buyer gets the ticket and the old order is cancelled', async () => {
    const ticket = await listTicket(orders);
    const a = await as(newUser('A'));
    const b = await as(newUser('B'));
    const ordered = await api.post('/api/orders', { ticketId: ticket.id }, a);
    expect(ordered.status).toBe(201);
    await untilPassed(orders, ordered.body.expiresAt);

    const taken = await api.post('/api/orders', { ticketId: ticket.id }, b);

    expect(taken.status).toBe(201);
    expect(taken.body.ticket.id).toBe(ticket.id);
    const old = await api.get(`/api/orders/${ordered.body.id}`, a);
    expect(old.body).toEqual({ ...ordered.body, status: 'cancelled', version: 1 });
    expect(await outboxEventsFor(orders, ordered.body.id)).toEqual([
      { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
      {
        subject: 'order:cancelled',
        data: { id: ordered.body.id, version: 1, ticket: { id: ticket.id } },
      },
    ]);
    expect(await outboxEventsFor(orders, taken.body.id)).toEqual([
      {
        subject: 'order:created',
        data: {
          id: taken.body.id,
          userId: taken.body.userId,
          status: 'created',
          expiresAt: taken.body.expiresAt,
          version: 0,
          ticket: { id: ticket.id, price: ticket.price },
        },
      },
    ]);

    const third = await api.post('/api/orders', { ticketId: ticket.id }, await as(newUser('C')));
    // B's hold lasts one second too. The answer must be 409 if B's hold was still live when
    // the database answered C, which the database's clock tells; on a machine so slow that it
    // had lapsed already, C rightly took it over instead. Either way the outcome is checked.
    const { rows } = await orders.db.query<{ live: boolean }>(
      'SELECT now() < expires_at AS live FROM orders WHERE id = $1',
      [taken.body.id],
    );
    if (rows[0]!.live) {
      expect(third.status).toBe(409);
      expect(third.body).toEqual({ errors: [{ message: 'Ticket is already reserved' }] });
    } else {
      expect(third.status).toBe(201);
      expect((await api.get(`/api/orders/${taken.body.id}`, b)).body.status).toBe('cancelled');
    }
  });

  it('when the lapsed holder cancels after the takeover, then 200 and nothing changes again', async () => {
    const ticket = await listTicket(orders);
    const a = await as(newUser('A'));
    const ordered = await api.post('/api/orders', { ticketId: ticket.id }, a);
    await untilPassed(orders, ordered.body.expiresAt);
    await api.post('/api/orders', { ticketId: ticket.id }, await as(newUser('B')));

    const res = await api.delete(`/api/orders/${ordered.body.id}`, a);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', version: 1 });
    const events = await outboxEventsFor(orders, ordered.body.id);
    expect(events.filter((e) => e.subject === 'order:cancelled')).toHaveLength(1);
  });

  it('when a lapsed hold is not taken over, then it reads as created until an expiry or a takeover cancels it', async () => {
    const ticket = await listTicket(orders);
    const a = await as(newUser('A'));
    const ordered = await api.post('/api/orders', { ticketId: ticket.id }, a);
    await untilPassed(orders, ordered.body.expiresAt);
    expect((await api.get(`/api/orders/${ordered.body.id}`, a)).body).toEqual(ordered.body);
  });

  it('when several buyers race for a lapsed hold, then it is cancelled once and one order holds the ticket', async () => {
    const ticket = await listTicket(orders);
    const ordered = await api.post('/api/orders', { ticketId: ticket.id }, await as(newUser('A')));
    await untilPassed(orders, ordered.body.expiresAt);
    const buyers = await Promise.all(Array.from({ length: 10 }, () => as(newUser())));

    const results = await Promise.all(
      buyers.map((h) => new ApiClient(orders.url).post('/api/orders', { ticketId: ticket.id }, h)),
    );

    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    const events = await outboxEventsFor(orders, ordered.body.id);
    expect(events.filter((e) => e.subject === 'order:cancelled')).toHaveLength(1);
    const { rows } = await orders.db.query(
      `SELECT 1 FROM orders WHERE ticket_id = $1 AND status <> 'cancelled'`,
      [ticket.id],
    );
    expect(rows).toHaveLength(1);
  });
});
