import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const newCode = () => `CODE-${randomBytes(6).toString('hex')}`;

describe.skipIf(!hasPostgres)("A ticket's code (tickets on PostgreSQL)", () => {
  let tickets: RunningTestService;
  let api: ApiClient;
  let sellerId: string;
  let seller: Record<string, string>;
  let stranger: Record<string, string>;

  beforeAll(async () => {
    tickets = await startTickets();
    api = new ApiClient(tickets.url);
    const user = newUser('Seller');
    sellerId = user.id;
    seller = await bearer(user);
    stranger = await bearer(newUser('Stranger'));
  });
  afterAll(async () => tickets?.stop());

  const create = async (over: Record<string, unknown>, as = seller) => {
    const res = await api.post('/api/tickets', ticketBody(over), as);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('when the seller reads the ticket, then the code is there; for a stranger, anonymously and in lists it is absent', async () => {
    const code = newCode();
    const ticket = await create({ code: `  ${code}  ` });
    expect(ticket).not.toHaveProperty('code');
    const mine = await api.get(`/api/tickets/${ticket.id}`, seller);
    expect(mine.body.code).toBe(code);
    expect(mine.headers.get('cache-control')).toBe('no-store');
    expect((await api.get(`/api/tickets/${ticket.id}`, stranger)).body).not.toHaveProperty('code');
    expect((await api.get(`/api/tickets/${ticket.id}`)).body).not.toHaveProperty('code');
    const own = await api.get(`/api/tickets?userId=${sellerId}&limit=100`);
    expect(own.body.find((t: { id: string }) => t.id === ticket.id)).not.toHaveProperty('code');
    expect(JSON.stringify((await api.get('/api/tickets?limit=100')).body)).not.toContain(code);
  });

  it('when a ticket has a code, then no event carries it', async () => {
    const code = newCode();
    const ticket = await create({ code });
    await api.put(`/api/tickets/${ticket.id}`, ticketBody({ code, price: 30 }), seller);
    const events = await outboxEvents(tickets.db, { id: ticket.id });
    expect(events.map((e) => e.subject)).toEqual(['ticket:created', 'ticket:updated']);
    expect(JSON.stringify(events)).not.toContain(code);
  });

  it('when the ticket is sold, then its buyer reads the code too, and another user still does not', async () => {
    const code = newCode();
    const ticket = await create({ code });
    const buyer = newUser('Buyer');
    const ordered = orderCreated(ticket.id);
    const event = { ...ordered, data: { ...ordered.data, userId: buyer.id } };
    await deliver(tickets.bus, event, 'tickets');
    // Reserved is not enough: the code is revealed once the order has been paid.
    expect(
      (await api.get(`/api/tickets/${ticket.id}`, await bearer(buyer))).body,
    ).not.toHaveProperty('code');
    await deliver(tickets.bus, orderCompleted(ticket.id, event.data.id), 'tickets');
    expect((await api.get(`/api/tickets/${ticket.id}`, await bearer(buyer))).body.code).toBe(code);
    expect((await api.get(`/api/tickets/${ticket.id}`, stranger)).body).not.toHaveProperty('code');
  });

  it('when the same code is on a live listing of the same event, then 409 on code; another event or a withdrawn listing is fine', async () => {
    const code = newCode();
    const event = { title: 'Cup final', venue: 'Stadium', startsAt: startsIn(20), code };
    const first = await create(event);
    const again = await api.post('/api/tickets', ticketBody(event), stranger);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      errors: [{ field: 'code', message: 'This code is already on a listing for the same event' }],
    });
    await create({ ...event, venue: 'Other stadium' }, stranger);
    await create({ ...event, startsAt: startsIn(21) }, stranger);
    await create({ ...event, code: newCode() }, stranger);
    // Editing another listing onto the same event and code is refused the same way.
    const other = await create({ ...event, code: newCode() });
    const edit = await api.put(`/api/tickets/${other.id}`, ticketBody(event), seller);
    expect(edit.status).toBe(409);
    expect(edit.body.errors[0].field).toBe('code');
    // Once the first listing is withdrawn, the code is free for a new listing.
    await api.delete(`/api/tickets/${first.id}`, seller);
    await create(event, stranger);
  });

  it('when two sellers list the same code for the same event at once, then exactly one 201', async () => {
    const code = newCode();
    const event = { title: 'Race night', venue: 'Track', startsAt: startsIn(9), code };
    const sellers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => bearer(newUser(`Racer ${i}`))),
    );
    const results = await Promise.all(
      sellers.map((as) => api.post('/api/tickets', ticketBody(event), as)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const { rows } = await tickets.db.query('SELECT 1 FROM tickets WHERE code = $1', [code]);
    expect(rows).toHaveLength(1);
  });
});
