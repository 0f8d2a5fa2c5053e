import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects, createEnvelope, type SessionUser } from '@ticketing/common';
import { deliver } from '../../../test-support/events.js';
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

describe.skipIf(!hasPostgres)('GET /api/sales (tickets on PostgreSQL)', () => {
  let tickets: RunningTestService;
  let api: ApiClient;

  beforeAll(async () => {
    tickets = await startTickets();
    api = new ApiClient(tickets.url);
  });
  afterAll(async () => tickets?.stop());

  /** A user the tickets service has heard of (user:created), so their public name is known. */
  const knownUser = async (name: string): Promise<SessionUser> => {
    const user = newUser(name);
    await deliver(
      tickets.bus,
      createEnvelope(Subjects.UserCreated, { id: user.id, name, version: 0 }),
      'tickets',
    );
    return user;
  };

  const list = async (seller: SessionUser, title: string, price: number, code?: string) => {
    const res = await api.post(
      '/api/tickets',
      ticketBody({ title, price, code }),
      await bearer(seller),
    );
    expect(res.status).toBe(201);
    return res.body as { id: string; venue: string; startsAt: string };
  };

  /** `buyer` orders the ticket and pays for it at `paidAt` (as order:completed says), or now. */
  const sell = async (ticketId: string, buyer: SessionUser, paidAt?: string) => {
    const created = orderCreated(ticketId);
    const order = { ...created, data: { ...created.data, userId: buyer.id } };
    await deliver(tickets.bus, order, 'tickets');
    const completed = orderCompleted(ticketId, order.data.id);
    await deliver(
      tickets.bus,
      paidAt ? { ...completed, data: { ...completed.data, paidAt } } : completed,
      'tickets',
    );
    return order.data.id;
  };

  it('when not signed in, then 401; when limit or offset is out of range or not a number, then 400 naming it', async () => {
    expect((await api.get('/api/sales')).status).toBe(401);
    const headers = await bearer(newUser('Seller'));
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=x', 'offset'],
      ['limit=1&limit=2', 'limit'],
    ]) {
      const res = await api.get(`/api/sales?${query}`, headers);
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        query,
      ).toEqual([field]);
    }
  });

  it("when a seller's tickets sell, then their sales list each, newest sale first, with the buyer's name, the amount and the time of payment; nothing else is listed", async () => {
    const seller = await knownUser('Sam Seller');
    const ann = await knownUser('Ann Buyer');
    const bob = await knownUser('Bob Buyer');
    const early = await list(seller, 'Early gig', 20, `CODE-${randomUUID()}`);
    const late = await list(seller, 'Late gig', 35.5);
    const reserved = await list(seller, 'Held gig', 12);
    await list(seller, 'Unsold gig', 15);
    const t0 = Date.now() - 60_000;
    // Delivered out of order: the list follows the time of payment, not of delivery.
    const lateOrder = await sell(late.id, bob, new Date(t0 + 20_000).toISOString());
    const earlyOrder = await sell(early.id, ann, new Date(t0).toISOString());
    await deliver(
      tickets.bus,
      { ...orderCreated(reserved.id), data: { ...orderCreated(reserved.id).data, userId: bob.id } },
      'tickets',
    );
    const other = await knownUser('Someone Else');
    await sell((await list(other, 'Not mine', 99)).id, ann);

    const res = await api.get('/api/sales', await bearer(seller));

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual([
      {
        ticket: { id: late.id, title: 'Late gig', venue: late.venue, startsAt: late.startsAt },
        orderId: lateOrder,
        buyer: { id: bob.id, name: 'Bob Buyer' },
        amount: 35.5,
        soldAt: new Date(t0 + 20_000).toISOString(),
      },
      {
        ticket: { id: early.id, title: 'Early gig', venue: early.venue, startsAt: early.startsAt },
        orderId: earlyOrder,
        buyer: { id: ann.id, name: 'Ann Buyer' },
        amount: 20,
        soldAt: new Date(t0).toISOString(),
      },
    ]);
    // The code stays with the ticket page; the buyer has sold nothing.
    expect(JSON.stringify(res.body)).not.toMatch(/CODE-/);
    expect((await api.get('/api/sales', await bearer(ann))).body).toEqual([]);
  });

  it('when order:completed carries no paidAt (first release), then the sale is dated when it is applied; an unknown buyer has no name yet', async () => {
    const seller = await knownUser('Old Seller');
    const stranger = newUser('Never announced');
    const ticket = await list(seller, 'Legacy gig', 10);
    const before = Date.now();
    await sell(ticket.id, stranger);

    const [sale] = (await api.get('/api/sales', await bearer(seller))).body;

    expect(sale.buyer).toEqual({ id: stranger.id, name: null });
    expect(Date.parse(sale.soldAt)).toBeGreaterThanOrEqual(before - 5_000);
    expect(Date.parse(sale.soldAt)).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it('when sales are walked page by page, then each is seen exactly once, in order, at several limits', async () => {
    const seller = await knownUser('Busy Seller');
    const buyer = await knownUser('Busy Buyer');
    const t0 = Date.now() - 3_600_000;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const ticket = await list(seller, `Gig ${i}`, 10 + i);
      // Two sales share each second: the ticket id breaks the tie.
      await sell(ticket.id, buyer, new Date(t0 + Math.floor(i / 2) * 1000).toISOString());
      ids.push(ticket.id);
    }
    const headers = await bearer(seller);
    const all = (await api.get('/api/sales?limit=100', headers)).body.map(
      (s: { ticket: { id: string } }) => s.ticket.id,
    );
    expect([...all].sort()).toEqual([...ids].sort());
    for (const limit of [1, 2, 3]) {
      const walked: string[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = (await api.get(`/api/sales?limit=${limit}&offset=${offset}`, headers)).body;
        walked.push(...page.map((s: { ticket: { id: string } }) => s.ticket.id));
        if (page.length < limit) break;
      }
      expect(walked, `limit ${limit}`).toEqual(all);
    }
  });
});
