import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../test-support/http.js';
import { listTicket, startOrders } from '../../../test-support/orders.js';
import { hasPostgres } from '../../../test-support/servers.js';
import type { RunningTestService } from '../../../test-support/service-harness.js';
import { bearer, newUser } from '../../../test-support/users.js';

// Starting a service and its test bus can take a minute when the machine is busy.
const STARTUP_MS = 180_000;

/**
 * Issue 14, point 1: one buyer looping POST /api/orders held every ticket of the site. A buyer
 * holds at most MAX_ACTIVE_ORDERS_PER_USER unpaid reservations, and creates at most
 * ORDERS_PER_MINUTE_PER_USER orders a minute; each refusal is a 429 saying which limit.
 */
describe.skipIf(!hasPostgres)('Per-buyer limits on orders (orders on PostgreSQL)', () => {
  let orders: RunningTestService;
  let api: ApiClient;

  beforeAll(async () => {
    orders = await startOrders('orders_limits', { ORDERS_PER_MINUTE_PER_USER: '40' });
    api = new ApiClient(orders.url);
  }, STARTUP_MS);
  afterAll(async () => orders?.stop());

  const unpaidOf = async (userId: string) =>
    (
      await orders.db.query(
        `SELECT id FROM orders WHERE user_id = $1 AND status IN ('created', 'awaiting_payment')`,
        [userId],
      )
    ).rowCount;

  it('when one buyer orders 20 tickets at once, then exactly 5 are reserved and 15 are 429s naming the cap', async () => {
    const tickets = await Promise.all(
      Array.from({ length: 20 }, (_, i) => listTicket(orders, { title: `Seat ${i}` })),
    );
    const buyer = newUser();
    const headers = await bearer(buyer);

    const results = await Promise.all(
      tickets.map((t) => api.post('/api/orders', { ticketId: t.id }, headers)),
    );

    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(201), ...Array(15).fill(429)]);
    for (const refused of results.filter((r) => r.status === 429)) {
      expect(refused.body.errors[0].message).toMatch(/5 unpaid reservations/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      // The soonest hold lapses in the 15-minute reservation window.
      expect(retryAfter).toBeGreaterThan(800);
      expect(retryAfter).toBeLessThanOrEqual(900);
    }
    expect(await unpaidOf(buyer.id)).toBe(5);

    // Cancelling one frees its place at once; another buyer was never limited by this one.
    const held = results.find((r) => r.status === 201)!.body;
    expect((await api.delete(`/api/orders/${held.id}`, headers)).status).toBe(200);
    const free = tickets.find((t) => !results.some((r) => r.body?.ticket?.id === t.id))!;
    expect((await api.post('/api/orders', { ticketId: free.id }, headers)).status).toBe(201);
    expect(await unpaidOf(buyer.id)).toBe(5);
    const other = await bearer(newUser());
    const another = await listTicket(orders);
    expect((await api.post('/api/orders', { ticketId: another.id }, other)).status).toBe(201);
  }, 120_000);

  it('when a ticket is taken, then 409 comes before the cap (API.md order of checks)', async () => {
    const buyer = await bearer(newUser());
    const tickets = await Promise.all(Array.from({ length: 5 }, () => listTicket(orders)));
    for (const t of tickets)
      expect((await api.post('/api/orders', { ticketId: t.id }, buyer)).status).toBe(201);
    const reserved = await listTicket(orders);
    await api.post('/api/orders', { ticketId: reserved.id }, await bearer(newUser()));
    expect((await api.post('/api/orders', { ticketId: reserved.id }, buyer)).status).toBe(409);
    const free = await listTicket(orders);
    expect((await api.post('/api/orders', { ticketId: free.id }, buyer)).status).toBe(429);
  });
});

describe.skipIf(!hasPostgres)('Orders per minute per buyer (orders on PostgreSQL)', () => {
  let orders: RunningTestService;
  let api: ApiClient;

  beforeAll(async () => {
    orders = await startOrders('orders_rate', { ORDERS_PER_MINUTE_PER_USER: '3' });
    api = new ApiClient(orders.url);
  }, STARTUP_MS);
  afterAll(async () => orders?.stop());

  it('when a buyer creates orders faster than the limit, then 429 with Retry-After naming the rate; others are not slowed', async () => {
    const buyer = await bearer(newUser());
    for (let i = 0; i < 3; i++) {
      const ticket = await listTicket(orders);
      const created = await api.post('/api/orders', { ticketId: ticket.id }, buyer);
      expect(created.status).toBe(201);
      // Cancel-and-reorder is what renewed holds for ever: the cancellations do not help.
      expect((await api.delete(`/api/orders/${created.body.id}`, buyer)).status).toBe(200);
    }
    const ticket = await listTicket(orders);
    const refused = await api.post('/api/orders', { ticketId: ticket.id }, buyer);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      errors: [{ message: expect.stringMatching(/at most 3 orders a minute/) }],
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const other = await bearer(newUser());
    expect((await api.post('/api/orders', { ticketId: ticket.id }, other)).status).toBe(201);
  });
});
