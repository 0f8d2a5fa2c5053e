import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSession } from '@ticketing/common';
import { outboxEvents } from '../../../test-support/events.js';
import { ApiClient } from '../../../test-support/http.js';
import { listTicket, newOrder, startOrders } from '../../../test-support/orders.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { TEST_JWT_KEY, type RunningTestService } from '../../../test-support/service-harness.js';
import { bearer, newUser } from '../../../test-support/users.js';
import { completeOrder } from './domain/complete-order.js';

describe.skipIf(!hasPostgres)('Orders routes (orders on PostgreSQL)', () => {
  let orders: RunningTestService;
  let api: ApiClient;

  beforeAll(async () => {
    orders = await startOrders('orders');
    api = new ApiClient(orders.url);
  });
  afterAll(async () => orders?.stop());

  describe('POST /api/orders', () => {
    it('when a buyer orders an available ticket, then 201 with the order held for 15 minutes', async () => {
      const ticket = await listTicket(orders, { title: 'Opera', price: 1999 });
      const buyer = newUser();
      const before = Date.now();
      const res = await api.post('/api/orders', { ticketId: ticket.id }, await bearer(buyer));
      const after = Date.now();
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        userId: buyer.id,
        status: 'created',
        expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        version: 0,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        ticket: {
          id: ticket.id,
          title: 'Opera',
          price: 19.99,
          venue: ticket.venue,
          startsAt: ticket.startsAt,
        },
      });
      // The database's clock sets the window; allow for the two clocks to differ a little.
      const expiresAt = Date.parse(res.body.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 900_000 - 5_000);
      expect(expiresAt).toBeLessThanOrEqual(after + 900_000 + 5_000);
    });

    it('when an order is created, then order:created is in the outbox with the price in cents', async () => {
      const ticket = await listTicket(orders, { price: 4250 });
      const buyer = newUser();
      const res = await api.post('/api/orders', { ticketId: ticket.id }, await bearer(buyer));
      expect(await outboxEvents(orders.db, { id: res.body.id })).toEqual([
        {
          subject: 'order:created',
          data: {
            id: res.body.id,
            userId: buyer.id,
            status: 'created',
            expiresAt: res.body.expiresAt,
            version: 0,
            ticket: { id: ticket.id, price: 4250 },
          },
        },
      ]);
    });

    it('when not signed in, then 401 before the body is even looked at', async () => {
      const res = await api.post('/api/orders', { ticketId: 'not-an-id' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'Not signed in' }] });
    });

    it('when the token is expired, then 401', async () => {
      const ticket = await listTicket(orders);
      const token = await signSession(newUser(), TEST_JWT_KEY, -60);
      const res = await api.post(
        '/api/orders',
        { ticketId: ticket.id },
        { authorization: `Bearer ${token}` },
      );
      expect(res.status).toBe(401);
    });

    it.each([
      ['missing', {}],
      ['empty', { ticketId: '' }],
      ['not an id', { ticketId: 'ticket-1' }],
      ['a number', { ticketId: 42 }],
      ['null', { ticketId: null }],
    ])('when ticketId is %s, then 400 on ticketId', async (_case, body) => {
      const res = await api.post('/api/orders', body, await bearer(newUser()));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ field: 'ticketId', message: expect.any(String) }],
      });
    });

    it('when the ticket id is in upper case, then it names the same ticket', async () => {
      const ticket = await listTicket(orders);
      const res = await api.post(
        '/api/orders',
        { ticketId: ticket.id.toUpperCase() },
        await bearer(newUser()),
      );
      expect(res.status).toBe(201);
      expect(res.body.ticket.id).toBe(ticket.id);
    });

    it('when the ticket is unknown, then 404', async () => {
      const res = await api.post(
        '/api/orders',
        { ticketId: randomUUID() },
        await bearer(newUser()),
      );
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
    });

    it('when the seller orders their own ticket, then 403', async () => {
      const seller = newUser('Seller');
      const ticket = await listTicket(orders, { userId: seller.id });
      const res = await api.post('/api/orders', { ticketId: ticket.id }, await bearer(seller));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: [{ message: 'You cannot order your own ticket' }] });
    });

    it('when the seller orders their own ticket that someone reserved, then 403, not 409', async () => {
      const seller = newUser('Seller');
      const ticket = await listTicket(orders, { userId: seller.id });
      expect(
        (await api.post('/api/orders', { ticketId: ticket.id }, await bearer(newUser()))).status,
      ).toBe(201);
      const res = await api.post('/api/orders', { ticketId: ticket.id }, await bearer(seller));
      expect(res.status).toBe(403);
    });

    it('when the ticket is reserved by someone else, then 409 saying it is reserved', async () => {
      const ticket = await listTicket(orders);
      await api.post('/api/orders', { ticketId: ticket.id }, await bearer(newUser()));
      const res = await api.post('/api/orders', { ticketId: ticket.id }, await bearer(newUser()));
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ errors: [{ message: 'Ticket is already reserved' }] });
    });

    it('when the buyer orders a ticket they already reserved, then 409', async () => {
      const ticket = await listTicket(orders);
      const buyer = await bearer(newUser());
      await api.post('/api/orders', { ticketId: ticket.id }, buyer);
      const res = await api.post('/api/orders', { ticketId: ticket.id }, buyer);
      expect(res.status).toBe(409);
    });

    it('when the ticket is sold, then 409 saying it is sold', async () => {
      const { ticket, created: first } = await newOrder(orders, api);
      await completeOrder(orders.db, first.body.id);
      const res = await api.post('/api/orders', { ticketId: ticket.id }, await bearer(newUser()));
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ errors: [{ message: 'Ticket is already sold' }] });
    });

    it('when the previous order was cancelled, then the ticket can be ordered again', async () => {
      const ticket = await listTicket(orders);
      const first = newUser();
      const order = await api.post('/api/orders', { ticketId: ticket.id }, await bearer(first));
      await api.delete(`/api/orders/${order.body.id}`, await bearer(first));
      const res = await api.post('/api/orders', { ticketId: ticket.id }, await bearer(newUser()));
      expect(res.status).toBe(201);
    });
  });

  describe('GET /api/orders', () => {
    it('when not signed in, then 401', async () => {
      const res = await api.get('/api/orders');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'Not signed in' }] });
    });

    it('when the buyer has no orders, then an empty array', async () => {
      const res = await api.get('/api/orders', await bearer(newUser()));
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });

    it('when the buyer has orders, then only theirs, newest first, cancelled ones too', async () => {
      const buyer = await bearer(newUser());
      const ids: string[] = [];
      for (const title of ['First', 'Second', 'Third']) {
        const ticket = await listTicket(orders, { title });
        ids.push((await api.post('/api/orders', { ticketId: ticket.id }, buyer)).body.id);
      }
      await api.delete(`/api/orders/${ids[1]}`, buyer);
      const someoneElses = await listTicket(orders);
      await api.post('/api/orders', { ticketId: someoneElses.id }, await bearer(newUser()));

      const res = await api.get('/api/orders', buyer);
      expect(res.status).toBe(200);
      expect(res.body.map((o: any) => [o.ticket.title, o.status])).toEqual([
        ['Third', 'created'],
        ['Second', 'cancelled'],
        ['First', 'created'],
      ]);
      expect(res.body.map((o: any) => o.id)).toEqual([...ids].reverse());
    });
  });

  describe('GET /api/orders/:id', () => {
    it('when the buyer asks for their order, then 200 with it', async () => {
      const { buyer, created } = await newOrder(orders, api);
      const res = await api.get(`/api/orders/${created.body.id}`, buyer);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(created.body);
    });

    it('when not signed in, then 401, even for an unknown order', async () => {
      expect((await api.get(`/api/orders/${randomUUID()}`)).status).toBe(401);
      expect((await api.get('/api/orders/nope')).status).toBe(401);
    });

    it('when the order is unknown or the id malformed, then 404', async () => {
      const buyer = await bearer(newUser());
      for (const id of [randomUUID(), 'not-an-id', '123']) {
        const res = await api.get(`/api/orders/${id}`, buyer);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: [{ message: 'Order not found' }] });
      }
    });

    it("when the order is another user's, then 403", async () => {
      const { created } = await newOrder(orders, api);
      const res = await api.get(`/api/orders/${created.body.id}`, await bearer(newUser()));
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: [{ message: 'This order belongs to another user' }] });
    });
  });

  describe('DELETE /api/orders/:id', () => {
    it('when the buyer cancels, then 200, status cancelled, reason buyer, version 1 and order:cancelled recorded', async () => {
      const { ticket, buyer, created } = await newOrder(orders, api);
      const res = await api.delete(`/api/orders/${created.body.id}`, buyer);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...created.body,
        status: 'cancelled',
        version: 1,
        cancelReason: 'buyer',
      });
      expect((await api.get(`/api/orders/${created.body.id}`, buyer)).body).toEqual(res.body);
      expect(await outboxEvents(orders.db, { id: created.body.id })).toEqual([
        { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
        {
          subject: 'order:cancelled',
          data: { id: created.body.id, version: 1, ticket: { id: ticket.id }, reason: 'buyer' },
        },
      ]);
    });

    it('when the buyer cancels twice, then the second is a harmless 200 with no second event', async () => {
      const { buyer, created } = await newOrder(orders, api);
      const first = await api.delete(`/api/orders/${created.body.id}`, buyer);
      const second = await api.delete(`/api/orders/${created.body.id}`, buyer);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      const events = await outboxEvents(orders.db, { id: created.body.id });
      expect(events.filter((e) => e.subject === 'order:cancelled')).toHaveLength(1);
    });

    it('when not signed in, then 401', async () => {
      const res = await api.delete(`/api/orders/${randomUUID()}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'Not signed in' }] });
    });

    it('when the order is unknown or the id malformed, then 404', async () => {
      const buyer = await bearer(newUser());
      for (const id of [randomUUID(), 'not-an-id']) {
        const res = await api.delete(`/api/orders/${id}`, buyer);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: [{ message: 'Order not found' }] });
      }
    });

    it("when the order is another user's, then 403 and it stays as it was", async () => {
      const { buyer: owner, created } = await newOrder(orders, api);
      const res = await api.delete(`/api/orders/${created.body.id}`, await bearer(newUser()));
      expect(res.status).toBe(403);
      expect((await api.get(`/api/orders/${created.body.id}`, owner)).body).toEqual(created.body);
    });

    it('when the order is completed, then 409 and it stays completed', async () => {
      const { buyer, created } = await newOrder(orders, api);
      await completeOrder(orders.db, created.body.id);
      const res = await api.delete(`/api/orders/${created.body.id}`, buyer);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        errors: [{ message: 'Order is completed and cannot be cancelled' }],
      });
      expect((await api.get(`/api/orders/${created.body.id}`, buyer)).body).toMatchObject({
        status: 'completed',
        version: 1,
      });
    });

    it("when a stranger cancels someone's completed order, then 403, not 409", async () => {
      const { created } = await newOrder(orders, api);
      await completeOrder(orders.db, created.body.id);
      const res = await api.delete(`/api/orders/${created.body.id}`, await bearer(newUser()));
      expect(res.status).toBe(403);
    });
  });

  describe('completeOrder (called by payments once a charge succeeds)', () => {
    it('when the order is held, then it is completed, version + 1, and order:completed recorded', async () => {
      const { ticket, buyer, created } = await newOrder(orders, api);
      const result = await completeOrder(orders.db, created.body.id);
      expect(result).toMatchObject({ outcome: 'completed', order: { status: 'completed' } });
      expect((await api.get(`/api/orders/${created.body.id}`, buyer)).body).toEqual({
        ...created.body,
        status: 'completed',
        version: 1,
      });
      expect(await outboxEvents(orders.db, { id: created.body.id })).toEqual([
        { subject: 'order:created', data: expect.objectContaining({ version: 0 }) },
        {
          subject: 'order:completed',
          data: { id: created.body.id, version: 1, ticket: { id: ticket.id } },
        },
      ]);
    });

    it('when the order is awaiting payment, then it completes too', async () => {
      const { created } = await newOrder(orders, api);
      await orders.db.query(`UPDATE orders SET status = 'awaiting_payment' WHERE id = $1`, [
        created.body.id,
      ]);
      expect((await completeOrder(orders.db, created.body.id)).outcome).toBe('completed');
    });

    it('when completed twice, then the second changes nothing and records no event', async () => {
      const { created } = await newOrder(orders, api);
      await completeOrder(orders.db, created.body.id);
      const again = await completeOrder(orders.db, created.body.id);
      expect(again).toMatchObject({ outcome: 'already_completed', order: { version: 1 } });
      const events = await outboxEvents(orders.db, { id: created.body.id });
      expect(events.filter((e) => e.subject === 'order:completed')).toHaveLength(1);
    });

    it('when the order was cancelled, then it stays cancelled and the caller is told so', async () => {
      const { buyer, created } = await newOrder(orders, api);
      await api.delete(`/api/orders/${created.body.id}`, buyer);
      const result = await completeOrder(orders.db, created.body.id);
      expect(result).toMatchObject({ outcome: 'cancelled', order: { status: 'cancelled' } });
      const events = await outboxEvents(orders.db, { id: created.body.id });
      expect(events.map((e) => e.subject)).toEqual(['order:created', 'order:cancelled']);
    });

    it('when the order is unknown, then not_found', async () => {
      expect(await completeOrder(orders.db, randomUUID())).toEqual({ outcome: 'not_found' });
    });

    it('when given a transaction, then the completion commits or rolls back with it', async () => {
      const { created } = await newOrder(orders, api);
      await expect(
        orders.db.transaction(async (tx) => {
          await completeOrder(tx, created.body.id);
          throw new Error('the caller fails after completing');
        }),
      ).rejects.toThrow('the caller fails');
      const { rows } = await orders.db.query<{ status: string }>(
        'SELECT status FROM orders WHERE id = $1',
        [created.body.id],
      );
      expect(rows[0]!.status).toBe('created');
      const events = await outboxEvents(orders.db, { id: created.body.id });
      expect(events.map((e) => e.subject)).toEqual(['order:created']);
    });
  });
});
