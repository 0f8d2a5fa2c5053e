import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects, createEnvelope, type EventData } from '@ticketing/common';
import { deliver } from '../../../test-support/events.js';
import { ApiClient, eventually } from '../../../test-support/http.js';
import { listTicket, startOrders } from '../../../test-support/orders.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import { startsIn } from '../../../test-support/tickets.js';
import { bearer, newUser } from '../../../test-support/users.js';

type TicketData = EventData<typeof Subjects.TicketCreated>;

const SECOND = 1000;

describe.skipIf(!hasPostgres)("Orders and the ticket's event (orders on PostgreSQL)", () => {
  let orders: RunningTestService;
  let api: ApiClient;

  beforeAll(async () => {
    orders = await startOrders('orders_event_rules');
    api = new ApiClient(orders.url);
  });
  afterAll(async () => orders?.stop());

  const order = async (ticketId: string) =>
    api.post('/api/orders', { ticketId }, await bearer(newUser()));

  const update = (ticket: TicketData, version: number, over: Partial<TicketData>) =>
    deliver(
      orders.bus,
      createEnvelope(Subjects.TicketUpdated, { ...ticket, version, ...over }),
      'orders',
    );

  it('when the event has already started, then 409 "Event has already started"', async () => {
    const ticket = await listTicket(orders, {
      startsAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const res = await order(ticket.id);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ errors: [{ message: 'Event has already started' }] });
  });

  it('when the event starts before the window ends, then the order expires at the start', async () => {
    const startsAt = startsIn(5 / (24 * 60)); // in 5 minutes, inside the 15-minute window
    const ticket = await listTicket(orders, { startsAt });
    const res = await order(ticket.id);
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBe(startsAt);
    expect(res.body.ticket).toMatchObject({ venue: 'Town Hall', startsAt });
  });

  it('when the event starts after the window, then the order holds the ticket for the window', async () => {
    const ticket = await listTicket(orders, { startsAt: startsIn(1) });
    const before = Date.now();
    const res = await order(ticket.id);
    expect(res.status).toBe(201);
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 900 * SECOND - 5 * SECOND);
    expect(expiresAt).toBeLessThan(Date.parse(ticket.startsAt!));
  });

  it('when a ticket starts a few seconds from now, then it is orderable before and 409 after', async () => {
    const early = await listTicket(orders, { startsAt: startsIn(3 / 86_400) });
    const late = await listTicket(orders, { startsAt: early.startsAt });
    const before = await order(early.id);
    expect(before.status).toBe(201);
    expect(before.body.expiresAt).toBe(early.startsAt);
    await eventually(
      async () =>
        (
          await orders.db.query<{ passed: boolean }>('SELECT now() > $1::timestamptz AS passed', [
            early.startsAt,
          ])
        ).rows[0]!.passed,
      Boolean,
      15_000,
    );
    const after = await order(late.id);
    expect(after.status).toBe(409);
    expect(after.body.errors[0].message).toBe('Event has already started');
  });

  it('when the seller withdrew the ticket, then 409 and no order is made', async () => {
    const ticket = await listTicket(orders);
    await update(ticket, 1, { status: 'withdrawn' });
    const res = await order(ticket.id);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket has been withdrawn' }] });
    const { rows } = await orders.db.query('SELECT 1 FROM orders WHERE ticket_id = $1', [
      ticket.id,
    ]);
    expect(rows).toEqual([]);
  });

  it('when a ticket from the first release has no start, then it is not orderable', async () => {
    // An event recorded before v2: no venue, no startsAt.
    const legacy = await listTicket(orders, { venue: undefined, startsAt: undefined });
    const res = await order(legacy.id);
    expect(res.status).toBe(409);
    expect(res.body.errors[0].message).toMatch(/no event date/);
    // Once its seller gives it a date, the update makes it orderable.
    await update(legacy, 1, { venue: 'Opera House', startsAt: startsIn(3) });
    expect((await order(legacy.id)).status).toBe(201);
  });
});
