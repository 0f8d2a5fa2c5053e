import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects, createEnvelope } from '@ticketing/common';
import { deliver, outboxEvents } from '../../../test-support/events.js';
import { ApiClient } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import {
  orderCompleted,
  orderCreated,
  startTickets,
  startsIn,
  ticketBody,
} from '../../../test-support/tickets.js';
import { bearer, newUser } from '../../../test-support/users.js';
import { OrderCompletedListener } from './listeners/order-completed-listener.js';
import { OrderCreatedListener } from './listeners/order-created-listener.js';

interface Person {
  id: string;
  name: string;
  headers: Record<string, string>;
}

async function person(name = 'Ada Lovelace'): Promise<Person> {
  const user = newUser(name);
  return { id: user.id, name, headers: await bearer(user) };
}

/** A word no other test uses, to find this test's tickets with `q`. */
const newTag = () => `tag${randomBytes(4).toString('hex')}`;

const fields = (body: { errors: { field?: string }[] }) => body.errors.map((e) => e.field).sort();

describe.skipIf(!hasPostgres)('Tickets routes (tickets on PostgreSQL)', () => {
  let tickets: RunningTestService;
  let api: ApiClient;
  let seller: Person;
  let stranger: Person;

  beforeAll(async () => {
    tickets = await startTickets();
    api = new ApiClient(tickets.url);
    seller = await person('Ada Lovelace');
    stranger = await person('Charles Babbage');
  });
  afterAll(async () => tickets?.stop());

  const createTicket = async (
    body: Record<string, unknown> = {},
    as: Person = seller,
  ): Promise<any> => {
    const res = await api.post('/api/tickets', ticketBody(body), as.headers);
    expect(res.status).toBe(201);
    return res.body;
  };

  /** Reserves the ticket as the orders service would, through the service's own listener. */
  const reserve = async (ticketId: string) => {
    const event = orderCreated(ticketId);
    await new OrderCreatedListener(tickets.db, 'tickets').handle(event);
    return event.data.id;
  };

  const sell = async (ticketId: string) => {
    const orderId = await reserve(ticketId);
    await new OrderCompletedListener(tickets.db, 'tickets').handle(
      orderCompleted(ticketId, orderId),
    );
    return orderId;
  };

  describe('POST /api/tickets', () => {
    it('when not signed in, then 401 even with an invalid body', async () => {
      const res = await api.post('/api/tickets', { title: '' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'Not signed in' }] });
    });

    it('when the body is valid, then 201 with the ticket, the price in units and stored in cents', async () => {
      const startsAt = startsIn(30);
      const res = await api.post(
        '/api/tickets',
        {
          title: '  Opera night  ',
          price: 19.99,
          description: 'Row 4',
          venue: ' Royal Opera House ',
          startsAt,
        },
        seller.headers,
      );
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        title: 'Opera night',
        description: 'Row 4',
        price: 19.99,
        venue: 'Royal Opera House',
        startsAt,
        userId: seller.id,
        orderId: null,
        status: 'available',
        version: 0,
        seller: { id: seller.id, name: null },
      });
      const { rows } = await tickets.db.query('SELECT price FROM tickets WHERE id = $1', [
        res.body.id,
      ]);
      expect(rows).toEqual([{ price: 1999 }]);
    });

    it('when the description is absent or blank, then it is null', async () => {
      expect((await createTicket()).description).toBeNull();
      expect((await createTicket({ description: '   ' })).description).toBeNull();
      expect((await createTicket({ description: null })).description).toBeNull();
    });

    it('when created, then ticket:created is in the outbox with the price in cents and version 0', async () => {
      const ticket = await createTicket({ title: 'Jazz', price: 12.5 });
      expect(await outboxEvents(tickets.db, { id: ticket.id })).toEqual([
        {
          subject: 'ticket:created',
          data: {
            id: ticket.id,
            title: 'Jazz',
            price: 1250,
            userId: seller.id,
            status: 'available',
            orderId: null,
            version: 0,
            venue: ticket.venue,
            startsAt: ticket.startsAt,
          },
        },
      ]);
    });

    it('when every field is invalid, then 400 with one error per field and nothing stored', async () => {
      const title = newTag();
      const res = await api.post(
        '/api/tickets',
        { title: '   ', price: -1, description: 'x'.repeat(5001) },
        seller.headers,
      );
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['description', 'price', 'startsAt', 'title', 'venue']);
      const missing = await api.post('/api/tickets', {}, seller.headers);
      expect(fields(missing.body)).toEqual(['price', 'startsAt', 'title', 'venue']);
      const { rows } = await tickets.db.query('SELECT 1 FROM tickets WHERE title = $1', [title]);
      expect(rows).toEqual([]);
    });

    it('when the title is longer than 200 characters, then 400 on title; 200 is fine', async () => {
      const res = await api.post(
        '/api/tickets',
        ticketBody({ title: 'x'.repeat(201), price: 1 }),
        seller.headers,
      );
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'title', message: 'Title must be at most 200 characters' },
      ]);
      expect((await createTicket({ title: 'x'.repeat(200) })).title).toHaveLength(200);
    });

    it.each([
      [0, /^Price must be from 0.50 to 999,999.99$/],
      [0.49, /^Price must be from 0.50 to 999,999.99$/],
      [-5, /^Price must be from 0.50 to 999,999.99$/],
      [1_000_000, /^Price must be from 0.50 to 999,999.99$/],
      [1.234, /at most 2 decimals/],
      ['10', /must be a number/],
      [null, /must be a number/],
    ])('when the price is %s, then 400 on price', async (price, message) => {
      const res = await api.post('/api/tickets', ticketBody({ price }), seller.headers);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'price', message: expect.stringMatching(message) },
      ]);
    });

    it('when the price is at the bounds (0.50 and 999,999.99), then 201 and it is kept exactly', async () => {
      expect((await createTicket({ price: 0.5 })).price).toBe(0.5);
      expect((await createTicket({ price: 999_999.99 })).price).toBe(999_999.99);
      expect((await createTicket({ price: 0.57 })).price).toBe(0.57);
    });

    it.each([
      ['missing', { startsAt: undefined }, 'startsAt', /required/],
      ['blank (a form left empty)', { startsAt: '' }, 'startsAt', /required/],
      ['not a time', { startsAt: 'next friday' }, 'startsAt', /ISO-8601/],
      ['a date without a time', { startsAt: '2030-01-01' }, 'startsAt', /ISO-8601/],
      ['in the past', { startsAt: startsIn(-1) }, 'startsAt', /in the future/],
      ['more than 2 years ahead', { startsAt: startsIn(2 * 366) }, 'startsAt', /2 years/],
      ['venue missing', { venue: undefined }, 'venue', /required/],
      ['venue blank', { venue: '   ' }, 'venue', /required/],
      ['venue too long', { venue: 'v'.repeat(201) }, 'venue', /at most 200/],
      ['code too short', { code: 'abc' }, 'code', /from 4 to 200/],
      ['code too long', { code: 'c'.repeat(201) }, 'code', /from 4 to 200/],
    ])('when %s, then 400 on that field', async (_case, over, field, message) => {
      const res = await api.post('/api/tickets', ticketBody(over), seller.headers);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
    });

    it('when the start is just inside 2 years, with an offset, then 201 and it is kept in UTC', async () => {
      const inside = new Date(Date.now() + 2 * 365 * 86_400_000);
      const withOffset = inside.toISOString().replace('Z', '+00:00');
      const ticket = await createTicket({ startsAt: withOffset, venue: 'v'.repeat(200) });
      expect(ticket.startsAt).toBe(inside.toISOString());
      expect(ticket.venue).toHaveLength(200);
    });
  });

  describe('GET /api/tickets/:id', () => {
    it('when the ticket exists, then 200 with it, signed in or not', async () => {
      const ticket = await createTicket({ description: 'Balcony' });
      const res = await api.get(`/api/tickets/${ticket.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(ticket);
    });

    it('when the ticket is reserved or sold, then it is still shown, with its order', async () => {
      const reserved = await createTicket();
      const orderId = await reserve(reserved.id);
      const res = await api.get(`/api/tickets/${reserved.id}`);
      expect(res.body).toMatchObject({ status: 'reserved', orderId, version: 1 });
      const sold = await createTicket();
      const soldBy = await sell(sold.id);
      expect((await api.get(`/api/tickets/${sold.id}`)).body).toMatchObject({
        status: 'sold',
        orderId: soldBy,
        version: 2,
      });
    });

    it('when the id is unknown or malformed, then 404', async () => {
      for (const id of [randomUUID(), 'not-an-id', '1%27%20OR%201=1']) {
        const res = await api.get(`/api/tickets/${id}`);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
      }
    });
  });

  describe('GET /api/tickets', () => {
    it('when listing without userId, then only available tickets, newest first', async () => {
      const tag = newTag();
      const first = await createTicket({ title: `First ${tag}` });
      const reserved = await createTicket({ title: `Reserved ${tag}` });
      const sold = await createTicket({ title: `Sold ${tag}` });
      const last = await createTicket({ title: `Last ${tag}` });
      await reserve(reserved.id);
      await sell(sold.id);
      const res = await api.get(`/api/tickets?q=${tag}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([last, first]);
    });

    it("when listing by userId, then that seller's tickets in any status, newest first", async () => {
      const own = await person();
      const a = await createTicket({ title: 'A' }, own);
      const b = await createTicket({ title: 'B' }, own);
      const c = await createTicket({ title: 'C' }, own);
      await createTicket({ title: 'Not theirs' }, stranger);
      await reserve(b.id);
      await sell(c.id);
      const res = await api.get(`/api/tickets?userId=${own.id}`);
      expect(res.status).toBe(200);
      expect(res.body.map((t: any) => [t.title, t.status])).toEqual([
        ['C', 'sold'],
        ['B', 'reserved'],
        ['A', 'available'],
      ]);
      expect(res.body[2]).toEqual(a);
      expect((await api.get(`/api/tickets?userId=${randomUUID()}`)).body).toEqual([]);
    });

    it('when q is given, then it matches a substring of the title whatever the letter case', async () => {
      const tag = newTag();
      const rock = await createTicket({ title: `Big ROCK show ${tag}` });
      await createTicket({ title: `Quiet jazz ${tag}` });
      const res = await api.get(`/api/tickets?q=${encodeURIComponent(`rock show ${tag}`)}`);
      expect(res.body).toEqual([rock]);
      const both = await api.get(`/api/tickets?q=${tag.toUpperCase()}`);
      expect(both.body).toHaveLength(2);
    });

    it('when q holds LIKE wildcards, then they match literally', async () => {
      const own = await person();
      const percent = await createTicket({ title: '100% fun' }, own);
      await createTicket({ title: '100 fun' }, own);
      const underscore = await createTicket({ title: 'a_b' }, own);
      await createTicket({ title: 'axb' }, own);
      const backslash = await createTicket({ title: 'back\\slash' }, own);
      const list = async (q: string) =>
        (await api.get(`/api/tickets?userId=${own.id}&q=${encodeURIComponent(q)}`)).body;
      expect(await list('%')).toEqual([percent]);
      expect(await list('_')).toEqual([underscore]);
      expect(await list('\\')).toEqual([backslash]);
      expect(await list('  ')).toHaveLength(5);
    });

    it('when paging with limit and offset, then pages follow one another without overlap', async () => {
      const own = await person();
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await createTicket({ title: `T${i}` }, own));
      const newestFirst = made.reverse().map((t) => t.id);
      const page = async (query: string) =>
        (await api.get(`/api/tickets?userId=${own.id}&${query}`)).body.map((t: any) => t.id);
      expect(await page('limit=2')).toEqual(newestFirst.slice(0, 2));
      expect(await page('limit=2&offset=2')).toEqual(newestFirst.slice(2, 4));
      expect(await page('limit=2&offset=4')).toEqual(newestFirst.slice(4));
      expect(await page('offset=5')).toEqual([]);
    });

    it('when no limit is given, then at most 50 are returned; 100 at most when asked', async () => {
      const own = await person();
      await Promise.all(
        Array.from({ length: 51 }, (_, i) => createTicket({ title: `Bulk ${i}` }, own)),
      );
      expect((await api.get(`/api/tickets?userId=${own.id}`)).body).toHaveLength(50);
      expect((await api.get(`/api/tickets?userId=${own.id}&limit=100`)).body).toHaveLength(51);
    });

    it.each([
      ['limit=0', ['limit']],
      ['limit=101', ['limit']],
      ['limit=abc', ['limit']],
      ['limit=1.5', ['limit']],
      ['limit=', ['limit']],
      ['limit=1&limit=2', ['limit']],
      ['offset=-1', ['offset']],
      ['offset=x', ['offset']],
      ['offset=99999999999999999999', ['offset']],
      ['limit=0&offset=-1', ['limit', 'offset']],
    ])('when the query is %s, then 400 with one entry per bad field', async (query, bad) => {
      const res = await api.get(`/api/tickets?${query}`);
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(bad);
      for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
    });

    it("when the seller's user:created event has arrived, then their name is shown", async () => {
      const own = await person('Grace Hopper');
      const ticket = await createTicket({}, own);
      expect(ticket.seller).toEqual({ id: own.id, name: null });
      const event = createEnvelope(Subjects.UserCreated, {
        id: own.id,
        name: 'Grace Hopper',
        version: 0,
      });
      await deliver(tickets.bus, event, 'tickets');
      const named = { id: own.id, name: 'Grace Hopper' };
      expect((await api.get(`/api/tickets/${ticket.id}`)).body.seller).toEqual(named);
      expect((await api.get(`/api/tickets?userId=${own.id}`)).body[0].seller).toEqual(named);
      expect((await createTicket({}, own)).seller).toEqual(named);
    });
  });

  describe('PUT /api/tickets/:id', () => {
    const edit = {
      title: 'Concert (moved)',
      price: 25.5,
      description: 'New date',
      venue: 'Arena',
      startsAt: startsIn(14),
    };

    it('when not signed in, then 401', async () => {
      const ticket = await createTicket();
      const res = await api.put(`/api/tickets/${ticket.id}`, edit);
      expect(res.status).toBe(401);
    });

    it('when the seller edits, then 200, the fields replaced, version + 1 and ticket:updated recorded', async () => {
      const ticket = await createTicket({ description: 'Old date' });
      const res = await api.put(`/api/tickets/${ticket.id}`, edit, seller.headers);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...ticket, ...edit, version: 1 });
      expect((await api.get(`/api/tickets/${ticket.id}`)).body).toEqual(res.body);
      // PUT replaces the editable state: leaving the description out clears it.
      const again = await api.put(
        `/api/tickets/${ticket.id}`,
        ticketBody({ title: 'Concert', price: 30 }),
        seller.headers,
      );
      expect(again.body).toMatchObject({ description: null, price: 30, version: 2 });
      expect(
        (await outboxEvents(tickets.db, { id: ticket.id })).map((e) => [e.subject, e.data]),
      ).toEqual([
        ['ticket:created', expect.objectContaining({ version: 0, price: 2000 })],
        [
          'ticket:updated',
          {
            id: ticket.id,
            title: 'Concert (moved)',
            price: 2550,
            userId: seller.id,
            status: 'available',
            orderId: null,
            version: 1,
            venue: 'Arena',
            startsAt: edit.startsAt,
          },
        ],
        ['ticket:updated', expect.objectContaining({ version: 2, price: 3000 })],
      ]);
    });

    it('when the body is invalid, then 400 per field, before looking the ticket up', async () => {
      const ticket = await createTicket();
      const res = await api.put(
        `/api/tickets/${ticket.id}`,
        { title: '', price: 1.001, description: 'x'.repeat(5001) },
        seller.headers,
      );
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['description', 'price', 'startsAt', 'title', 'venue']);
      const unknown = await api.put(`/api/tickets/${randomUUID()}`, { price: 1 }, seller.headers);
      expect(unknown.status).toBe(400);
      expect(fields(unknown.body)).toEqual(['startsAt', 'title', 'venue']);
      expect((await api.get(`/api/tickets/${ticket.id}`)).body.version).toBe(0);
    });

    it('when the id is unknown or malformed, then 404', async () => {
      for (const id of [randomUUID(), 'nope']) {
        const res = await api.put(`/api/tickets/${id}`, edit, seller.headers);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
      }
    });

    it('when someone else edits, then 403 and nothing changes', async () => {
      const ticket = await createTicket();
      const res = await api.put(`/api/tickets/${ticket.id}`, edit, stranger.headers);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: [{ message: 'Only the seller can edit a ticket' }] });
      expect((await api.get(`/api/tickets/${ticket.id}`)).body).toEqual(ticket);
      expect(await outboxEvents(tickets.db, { id: ticket.id })).toHaveLength(1);
    });

    it('when the ticket is reserved or sold, then 409 for the seller', async () => {
      const reserved = await createTicket();
      await reserve(reserved.id);
      const res = await api.put(`/api/tickets/${reserved.id}`, edit, seller.headers);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        errors: [{ message: 'Ticket is reserved and cannot be edited' }],
      });
      const sold = await createTicket();
      await sell(sold.id);
      const soldRes = await api.put(`/api/tickets/${sold.id}`, edit, seller.headers);
      expect(soldRes.status).toBe(409);
      expect(soldRes.body).toEqual({
        errors: [{ message: 'Ticket is sold and cannot be edited' }],
      });
      expect((await api.get(`/api/tickets/${reserved.id}`)).body).toMatchObject({
        title: 'Concert',
        version: 1,
      });
    });

    it('when a stranger edits a reserved ticket, then 403, not 409', async () => {
      const ticket = await createTicket();
      await reserve(ticket.id);
      const res = await api.put(`/api/tickets/${ticket.id}`, edit, stranger.headers);
      expect(res.status).toBe(403);
    });

    it('when the seller sends five edits at once, then each gets its own version', async () => {
      const ticket = await createTicket();
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((price) =>
          api.put(
            `/api/tickets/${ticket.id}`,
            ticketBody({ title: 'Concert', price }),
            seller.headers,
          ),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(results.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4, 5]);
      const updates = (await outboxEvents(tickets.db, { id: ticket.id })).filter(
        (e) => e.subject === 'ticket:updated',
      );
      expect(updates.map((e) => (e.data as { version: number }).version)).toEqual([1, 2, 3, 4, 5]);
    });
  });
});
