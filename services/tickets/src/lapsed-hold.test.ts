import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects, createEnvelope } from '@ticketing/common';
import { ApiClient } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import { startTickets, ticketBody } from '../../../test-support/tickets.js';
import { bearer } from '../../../test-support/users.js';
import { OrderCreatedListener } from './listeners/order-created-listener.js';

/** An order:created for `ticketId` whose hold lapses `inMs` from now (negative: already lapsed). */
const orderHolding = (ticketId: string, inMs: number) =>
  createEnvelope(Subjects.OrderCreated, {
    id: randomUUID(),
    userId: randomUUID(),
    status: 'created',
    expiresAt: new Date(Date.now() + inMs).toISOString(),
    version: 0,
    ticket: { id: ticketId, price: 2000 },
  });

describe.skipIf(!hasPostgres)('Tickets: a hold whose window has passed is not a hold', () => {
  let tickets: RunningTestService;
  let api: ApiClient;
  let sellerId: string;
  let seller: Record<string, string>;
  let created: OrderCreatedListener;

  beforeAll(async () => {
    tickets = await startTickets();
    api = new ApiClient(tickets.url);
    sellerId = randomUUID();
    seller = await bearer({ id: sellerId, email: 'seller@example.com', name: 'Ada' });
    created = new OrderCreatedListener(tickets.db, 'tickets');
  });
  afterAll(async () => tickets?.stop());

  const listed = async (title: string) =>
    (await api.get(`/api/tickets?q=${encodeURIComponent(title)}`)).body.map(
      (t: { id: string }) => t.id,
    );

  it('when a reserved ticket is within its hold, then it is shown reserved and not listed', async () => {
    const title = `Held ${randomUUID()}`;
    const ticket = (await api.post('/api/tickets', ticketBody({ title, price: 20 }), seller)).body;
    const order = orderHolding(ticket.id, 60_000);
    await created.handle(order);
    const shown = (await api.get(`/api/tickets/${ticket.id}`)).body;
    expect(shown).toMatchObject({ status: 'reserved', orderId: order.data.id });
    expect(await listed(title)).toEqual([]);
  });

  it('when the hold has lapsed and no cancellation has arrived, then the ticket is shown available and listed again', async () => {
    const title = `Lapsed ${randomUUID()}`;
    const ticket = (await api.post('/api/tickets', ticketBody({ title, price: 20 }), seller)).body;
    await created.handle(orderHolding(ticket.id, -1_000));
    const shown = (await api.get(`/api/tickets/${ticket.id}`)).body;
    expect(shown).toMatchObject({ status: 'available', orderId: null });
    expect(await listed(title)).toEqual([ticket.id]);
    // The seller's own list agrees.
    const mine = (await api.get(`/api/tickets?userId=${sellerId}`)).body;
    expect(mine.find((t: { id: string }) => t.id === ticket.id).status).toBe('available');
  });
});
