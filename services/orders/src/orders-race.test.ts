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

const signedInBuyers = (count: number) =>
  Promise.all(Array.from({ length: count }, () => as(newUser())));

// Many connections at once on two shared cores: generous, and nothing here measures time.
const RACE_TIMEOUT_MS = 180_000;

describe.skipIf(!hasPostgres)('Buyers racing for tickets (orders on PostgreSQL)', () => {
  let orders: RunningTestService;

  beforeAll(async () => {
    orders = await startTestService((deps) => createOrdersService(deps, config()), {
      postgres: true,
      name: 'orders_race',
    });
  });
  afterAll(async () => orders?.stop());

  it(
    'when 50 buyers order one ticket at once, then exactly one 201 and 49 × 409',
    async () => {
      const ticket = await listTicket(orders);
      const buyers = await signedInBuyers(50);

      const results = await Promise.all(
        buyers.map((headers) =>
          new ApiClient(orders.url).post('/api/orders', { ticketId: ticket.id }, headers),
        ),
      );

      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(49).fill(409)]);
      for (const loser of results.filter((r) => r.status === 409)) {
        expect(loser.body).toEqual({ errors: [{ message: 'Ticket is already reserved' }] });
      }
      const winner = results.find((r) => r.status === 201)!;
      const { rows } = await orders.db.query<{ id: string }>(
        `SELECT id FROM orders WHERE ticket_id = $1 AND status <> 'cancelled'`,
        [ticket.id],
      );
      expect(rows).toEqual([{ id: winner.body.id }]);
      const created = await orders.db.query(
        `SELECT 1 FROM outbox WHERE subject = 'order:created'
           AND envelope->'data'->'ticket'->>'id' = $1`,
        [ticket.id],
      );
      expect(created.rowCount).toBe(1);
    },
    RACE_TIMEOUT_MS,
  );

  it(
    'when 20 buyers race for each of 20 tickets, all at once, then one order per ticket and no 5xx',
    async () => {
      const tickets = [];
      for (let i = 0; i < 20; i++) tickets.push(await listTicket(orders, { title: `Seat ${i}` }));
      const buyers = await signedInBuyers(20);

      const attempts = tickets.flatMap((ticket) =>
        buyers.map(async (headers) => ({
          ticketId: ticket.id,
          res: await new ApiClient(orders.url).post(
            '/api/orders',
            { ticketId: ticket.id },
            headers,
          ),
        })),
      );
      const results = await Promise.all(attempts);

      expect(results.filter((r) => r.res.status >= 500)).toEqual([]);
      for (const ticket of tickets) {
        const statuses = results
          .filter((r) => r.ticketId === ticket.id)
          .map((r) => r.res.status)
          .sort();
        expect(statuses).toEqual([201, ...Array(19).fill(409)]);
      }
      const { rows } = await orders.db.query<{ ticketId: string; n: number }>(
        `SELECT ticket_id AS "ticketId", count(*)::int AS n FROM orders
         WHERE ticket_id = ANY($1::uuid[]) GROUP BY ticket_id`,
        [tickets.map((t) => t.id)],
      );
      expect(rows).toHaveLength(20);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    },
    RACE_TIMEOUT_MS,
  );
});
