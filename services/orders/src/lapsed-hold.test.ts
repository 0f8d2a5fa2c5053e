import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../../test-support/events.js';
import { ApiClient, eventually } from '../../../test-support/http.js';
import { listTicket, newOrder, startOrders } from '../../../test-support/orders.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import { bearer, newUser, signedInBuyers } from '../../../test-support/users.js';

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
    orders = await startOrders('orders_lapse', { RESERVATION_WINDOW_SECONDS: '1' });
    api = new ApiClient(orders.url);
  });
  afterAll(async () => orders?.stop());

  it('when a hold has lapsed unpaid, then the next buyer gets the ticket and the old order is cancelled', async () => {
    const ticket = await listTicket(orders);
    const a = await bearer(newUser('A'));
    const b = await bearer(newUser('B'));
    const ordered = await api.post('/api/orders', { ticketId: ticket.id }, a);
    expect(ordered.status).toBe(201);
    await untilPassed(orders, ordered.body.expiresAt);

    const taken = await api.post('/api/orders', { ticketId: ticket.id }, b);

    expect(taken.status).toBe(201);
    expect(taken.body.ticket.id).toBe(ticket.id);
    const old = await api.get(`/api/orders/${ordered.body.id}`, a);
    expect(old.body).toEqual({
      ...ordered.body,
      status: 'cancelled',
      version: 1,
      cancelReason: 'expired',
    });
    expect(await outboxEvents(orders.db, { id: ordered.body.id })).toEqual([
      { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
      {
        subject: 'order:cancelled',
        data: { id: ordered.body.id, version: 1, ticket: { id: ticket.id }, reason: 'expired' },
      },
    ]);
    expect(await outboxEvents(orders.db, { id: taken.body.id })).toEqual([
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

    const third = await api.post(
      '/api/orders',
      { ticketId: ticket.id },
      await bearer(newUser('C')),
    );
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
    const { ticket, buyer: a, created: ordered } = await newOrder(orders, api, { buyer: 'A' });
    await untilPassed(orders, ordered.body.expiresAt);
    await api.post('/api/orders', { ticketId: ticket.id }, await bearer(newUser('B')));

    const res = await api.delete(`/api/orders/${ordered.body.id}`, a);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', version: 1 });
    const events = await outboxEvents(orders.db, { id: ordered.body.id });
    expect(events.filter((e) => e.subject === 'order:cancelled')).toHaveLength(1);
  });

  it('when a lapsed hold is not taken over, then it reads as created until an expiry or a takeover cancels it', async () => {
    const { buyer: a, created: ordered } = await newOrder(orders, api, { buyer: 'A' });
    await untilPassed(orders, ordered.body.expiresAt);
    expect((await api.get(`/api/orders/${ordered.body.id}`, a)).body).toEqual(ordered.body);
  });

  it('when several buyers race for a lapsed hold, then it is cancelled once and one order holds the ticket', async () => {
    const ticket = await listTicket(orders);
    const ordered = await api.post(
      '/api/orders',
      { ticketId: ticket.id },
      await bearer(newUser('A')),
    );
    await untilPassed(orders, ordered.body.expiresAt);
    const buyers = await signedInBuyers(10);

    const results = await Promise.all(
      buyers.map((h) => new ApiClient(orders.url).post('/api/orders', { ticketId: ticket.id }, h)),
    );

    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    const events = await outboxEvents(orders.db, { id: ordered.body.id });
    expect(events.filter((e) => e.subject === 'order:cancelled')).toHaveLength(1);
    const { rows } = await orders.db.query(
      `SELECT 1 FROM orders WHERE ticket_id = $1 AND status <> 'cancelled'`,
      [ticket.id],
    );
    expect(rows).toHaveLength(1);
  });
});
