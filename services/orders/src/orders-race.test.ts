import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test-support/http.js';
import { listTicket, startOrders } from '../../../test-support/orders.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import { signedInBuyers } from '../../../test-support/users.js';

// Many connections at once on two shared cores: generous, and nothing here measures time.
const RACE_TIMEOUT_MS = 180_000;

describe.skipIf(!hasPostgres)('Buyers racing for tickets (orders on PostgreSQL)', () => {
  let orders: RunningTestService;

  beforeAll(async () => {
    // One buyer may win many of the 20 tickets: the per-buyer caps are not what is tested here.
    orders = await startOrders('orders_race', {
      MAX_ACTIVE_ORDERS_PER_USER: '20',
      ORDERS_PER_MINUTE_PER_USER: '100',
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
