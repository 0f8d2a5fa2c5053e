import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects, createEnvelope, type EventData } from '@ticketing/common';
import { deliver, outboxEvents } from '../../../test-support/events.js';
import { ApiClient } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import {
  orderCompleted,
  orderCreated,
  startTickets,
  ticketBody,
} from '../../../test-support/tickets.js';
import { bearer, newUser } from '../../../test-support/users.js';
import { withdrawAllAvailableListings } from './domain/tickets-use-cases.js';

type TicketEvent = EventData<typeof Subjects.TicketUpdated>;

describe.skipIf(!hasPostgres)('DELETE /api/tickets/:id (tickets on PostgreSQL)', () => {
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

  const create = async (over: Record<string, unknown> = {}, as = seller) => {
    const res = await api.post('/api/tickets', ticketBody(over), as);
    expect(res.status).toBe(201);
    return res.body;
  };
  const reserve = async (ticketId: string) => {
    const event = orderCreated(ticketId);
    await deliver(tickets.bus, event, 'tickets');
    return event.data.id;
  };
  const cancel = (ticketId: string, orderId: string) =>
    deliver(
      tickets.bus,
      createEnvelope(Subjects.OrderCancelled, {
        id: orderId,
        version: 1,
        ticket: { id: ticketId },
      }),
      'tickets',
    );
  const updates = async (ticketId: string) =>
    (
      await outboxEvents<TicketEvent>(tickets.db, { subject: Subjects.TicketUpdated, id: ticketId })
    ).map((e) => e.data);

  it('when the seller withdraws an available ticket, then 200 withdrawn, version + 1 and ticket:updated recorded', async () => {
    const ticket = await create();
    const res = await api.delete(`/api/tickets/${ticket.id}`, seller);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...ticket, status: 'withdrawn', version: 1 });
    expect(await updates(ticket.id)).toEqual([
      expect.objectContaining({ status: 'withdrawn', version: 1, orderId: null }),
    ]);
  });

  it('when the seller withdraws again, then 200 and nothing changes (no new version, no event)', async () => {
    const ticket = await create();
    const first = await api.delete(`/api/tickets/${ticket.id}`, seller);
    const again = await api.delete(`/api/tickets/${ticket.id}`, seller);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await updates(ticket.id)).toHaveLength(1);
  });

  it('when the ticket is reserved or sold, then 409 and it stays so', async () => {
    const reserved = await create();
    await reserve(reserved.id);
    const res = await api.delete(`/api/tickets/${reserved.id}`, seller);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      errors: [{ message: 'Ticket is reserved and cannot be withdrawn' }],
    });
    const sold = await create();
    const orderId = await reserve(sold.id);
    await deliver(tickets.bus, orderCompleted(sold.id, orderId), 'tickets');
    const soldRes = await api.delete(`/api/tickets/${sold.id}`, seller);
    expect(soldRes.status).toBe(409);
    expect(soldRes.body).toEqual({
      errors: [{ message: 'Ticket is sold and cannot be withdrawn' }],
    });
    expect((await api.get(`/api/tickets/${reserved.id}`)).body.status).toBe('reserved');
    expect((await api.get(`/api/tickets/${sold.id}`)).body.status).toBe('sold');
  });

  it('when a stranger withdraws, then 403 (also on a reserved ticket) and nothing changes', async () => {
    const ticket = await create();
    const res = await api.delete(`/api/tickets/${ticket.id}`, stranger);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: [{ message: 'Only the seller can withdraw a ticket' }] });
    await reserve(ticket.id);
    expect((await api.delete(`/api/tickets/${ticket.id}`, stranger)).status).toBe(403);
    expect((await api.get(`/api/tickets/${ticket.id}`)).body.status).toBe('reserved');
  });

  it('when not signed in, then 401; when the id is unknown or malformed, then 404', async () => {
    const ticket = await create();
    expect((await api.delete(`/api/tickets/${ticket.id}`)).status).toBe(401);
    for (const id of [randomUUID(), 'nope']) {
      const res = await api.delete(`/api/tickets/${id}`, seller);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
    }
  });

  it('when withdrawn, then it is not listed publicly, its seller sees it withdrawn, and it cannot be edited', async () => {
    const tag = `tag${randomBytes(4).toString('hex')}`;
    const kept = await create({ title: `Kept ${tag}` });
    const gone = await create({ title: `Gone ${tag}` });
    await api.delete(`/api/tickets/${gone.id}`, seller);
    expect((await api.get(`/api/tickets?q=${tag}`)).body.map((t: { id: string }) => t.id)).toEqual([
      kept.id,
    ]);
    const own = await api.get(`/api/tickets?userId=${sellerId}&q=${tag}`);
    expect(own.body.map((t: { status: string }) => t.status)).toEqual(['withdrawn', 'available']);
    const edit = await api.put(`/api/tickets/${gone.id}`, ticketBody({ price: 99 }), seller);
    expect(edit.status).toBe(409);
    expect(edit.body).toEqual({
      errors: [{ message: 'Ticket has been withdrawn and cannot be edited' }],
    });
  });

  it('when an order raced the withdrawal, then it holds the ticket, and when it ends unpaid the ticket is withdrawn again', async () => {
    const ticket = await create();
    await api.delete(`/api/tickets/${ticket.id}`, seller);
    // Orders accepted this order before it learnt of the withdrawal: its promise stands.
    const orderId = await reserve(ticket.id);
    expect((await api.get(`/api/tickets/${ticket.id}`)).body).toMatchObject({
      status: 'reserved',
      orderId,
    });
    await cancel(ticket.id, orderId);
    expect((await api.get(`/api/tickets/${ticket.id}`)).body).toMatchObject({
      status: 'withdrawn',
      orderId: null,
      version: 3,
    });
    expect((await updates(ticket.id)).map((e) => e.status)).toEqual([
      'withdrawn',
      'reserved',
      'withdrawn',
    ]);
  });

  it("when a seller's available listings are all withdrawn (suspension), then reserved and sold ones are left, a reserved one is withdrawn when its order ends, and each change is published", async () => {
    const user = newUser('Suspended');
    const own = await bearer(user);
    const a = await create({}, own);
    const b = await create({}, own);
    const reserved = await create({}, own);
    const holding = await reserve(reserved.id);
    const other = await create();
    const count = await tickets.db.transaction((tx) => withdrawAllAvailableListings(tx, user.id));
    expect(count).toBe(2);
    const listed = await api.get(`/api/tickets?userId=${user.id}&sort=soonest`);
    const statuses = Object.fromEntries(
      listed.body.map((t: { id: string; status: string }) => [t.id, t.status]),
    );
    expect(statuses).toEqual({
      [a.id]: 'withdrawn',
      [b.id]: 'withdrawn',
      [reserved.id]: 'reserved',
    });
    expect((await updates(a.id)).at(-1)).toMatchObject({ status: 'withdrawn', version: 1 });
    expect((await api.get(`/api/tickets/${other.id}`)).body.status).toBe('available');
    expect(await tickets.db.transaction((tx) => withdrawAllAvailableListings(tx, user.id))).toBe(0);
    // The reserved one stays its buyer's; if that order ends unpaid, it is not back on sale.
    await cancel(reserved.id, holding);
    expect((await api.get(`/api/tickets/${reserved.id}`)).body).toMatchObject({
      status: 'withdrawn',
      orderId: null,
    });
  });
});
