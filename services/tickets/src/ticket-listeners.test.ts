import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutOfOrderError, Subjects, createEnvelope, type EventData } from '@ticketing/common';
import { deliver, nextRefusal, outboxEvents } from '../../../test-support/events.js';
import { ApiClient, eventually } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import { type RunningTestService } from '../../../test-support/service-harness.js';
import {
  orderCompleted,
  orderCreated,
  startTickets,
  ticketBody,
} from '../../../test-support/tickets.js';
import { bearer } from '../../../test-support/users.js';
import { OrderCancelledListener } from './listeners/order-cancelled-listener.js';
import { OrderCompletedListener } from './listeners/order-completed-listener.js';
import { OrderCreatedListener } from './listeners/order-created-listener.js';
import { UserCreatedListener } from './listeners/user-created-listener.js';
import { UserUpdatedListener } from './listeners/user-updated-listener.js';

// A malformed payload never reaches these listeners: the bus validates every envelope against
// its subject's schema and dead-letters what fails (covered by the common package's tests).

const orderCancelled = (ticketId: string, orderId: string) =>
  createEnvelope(Subjects.OrderCancelled, { id: orderId, version: 1, ticket: { id: ticketId } });
type UserData = EventData<typeof Subjects.UserCreated>;
const userCreatedEvent = (data: UserData) => createEnvelope(Subjects.UserCreated, data);
const userUpdatedEvent = (data: UserData) => createEnvelope(Subjects.UserUpdated, data);

describe.skipIf(!hasPostgres)('Tickets listeners (tickets on PostgreSQL)', () => {
  let tickets: RunningTestService;
  let api: ApiClient;
  let sellerId: string;
  let sellerHeaders: Record<string, string>;
  let created: OrderCreatedListener;
  let cancelled: OrderCancelledListener;
  let completed: OrderCompletedListener;
  let userCreated: UserCreatedListener;
  let userUpdated: UserUpdatedListener;

  beforeAll(async () => {
    tickets = await startTickets();
    api = new ApiClient(tickets.url);
    sellerId = randomUUID();
    sellerHeaders = await bearer({ id: sellerId, email: 'seller@example.com', name: 'Ada' });
    // The same classes the service subscribes, driven directly for the cases a bus would retry.
    created = new OrderCreatedListener(tickets.db, 'tickets');
    cancelled = new OrderCancelledListener(tickets.db, 'tickets');
    completed = new OrderCompletedListener(tickets.db, 'tickets');
    userCreated = new UserCreatedListener(tickets.db, 'tickets');
    userUpdated = new UserUpdatedListener(tickets.db, 'tickets');
  });
  afterAll(async () => tickets?.stop());

  const newTicket = async (): Promise<string> => {
    const res = await api.post('/api/tickets', ticketBody(), sellerHeaders);
    expect(res.status).toBe(201);
    return res.body.id;
  };

  const ticket = async (id: string) => (await api.get(`/api/tickets/${id}`)).body;

  const updates = async (ticketId: string) =>
    (
      await outboxEvents<EventData<typeof Subjects.TicketUpdated>>(tickets.db, {
        subject: Subjects.TicketUpdated,
        id: ticketId,
      })
    ).map((e) => e.data);

  const inboxHas = async (eventId: string) =>
    (await tickets.db.query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).rows.length > 0;

  const lockWaiters = async () => {
    const { rows } = await tickets.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return rows[0]!.n;
  };

  /**
   * Starts every racer while another transaction holds the ticket's row lock, and lets go only
   * once all of them are queued behind it: the racers truly overlap, whatever the timing.
   */
  const raceBehindLock = async <T>(
    ticketId: string,
    racers: Array<() => Promise<T>>,
  ): Promise<PromiseSettledResult<T>[]> => {
    let settled: Promise<PromiseSettledResult<T>[]> | undefined;
    await tickets.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [ticketId]);
      settled = Promise.allSettled(racers.map((race) => race()));
      await eventually(lockWaiters, (n) => n >= racers.length);
    });
    return settled!;
  };

  describe('order:created', () => {
    it('when an order is created, then the ticket is reserved for it and ticket:updated is recorded', async () => {
      const id = await newTicket();
      const event = orderCreated(id);
      await deliver(tickets.bus, event, 'tickets');
      expect(await ticket(id)).toMatchObject({
        status: 'reserved',
        orderId: event.data.id,
        version: 1,
      });
      expect(await updates(id)).toEqual([
        {
          id,
          title: 'Concert',
          price: 2000,
          userId: sellerId,
          status: 'reserved',
          orderId: event.data.id,
          version: 1,
          venue: 'Town Hall',
          startsAt: expect.any(String),
        },
      ]);
    });

    it('when the same event is handled twice, then it has one effect', async () => {
      const id = await newTicket();
      const event = orderCreated(id);
      expect(await created.handle(event)).toBe(true);
      expect(await created.handle(event)).toBe(false);
      expect((await ticket(id)).version).toBe(1);
      expect(await updates(id)).toHaveLength(1);
    });

    it('when the order already holds the ticket (a re-sent event), then nothing changes', async () => {
      const id = await newTicket();
      const event = orderCreated(id);
      await created.handle(event);
      expect(await created.handle({ ...event, id: randomUUID() })).toBe(true);
      expect(await ticket(id)).toMatchObject({ status: 'reserved', version: 1 });
      expect(await updates(id)).toHaveLength(1);
    });

    it('when another order still holds the ticket, then OutOfOrderError, and it applies once that order is cancelled', async () => {
      const id = await newTicket();
      const first = orderCreated(id);
      await created.handle(first);
      const second = orderCreated(id);
      await expect(created.handle(second)).rejects.toBeInstanceOf(OutOfOrderError);
      expect(await inboxHas(second.id)).toBe(false);
      expect(await ticket(id)).toMatchObject({ orderId: first.data.id, version: 1 });

      await cancelled.handle(orderCancelled(id, first.data.id));
      expect(await created.handle(second)).toBe(true);
      expect(await ticket(id)).toMatchObject({
        status: 'reserved',
        orderId: second.data.id,
        version: 3,
      });
    });

    it('when two orders for one ticket are handled at once, then exactly one reserves it', async () => {
      const id = await newTicket();
      const events = [orderCreated(id), orderCreated(id)];
      const results = await raceBehindLock(
        id,
        events.map((e) => () => created.handle(e)),
      );
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(OutOfOrderError);
      const winner = events[results.indexOf(results.find((r) => r.status === 'fulfilled')!)]!;
      expect(await ticket(id)).toMatchObject({ orderId: winner.data.id, version: 1 });
    });

    it("when a seller's edit races a reservation, then the edit never lands on the reserved ticket", async () => {
      const id = await newTicket();
      const order = orderCreated(id);
      const [edit] = await raceBehindLock<unknown>(id, [
        () =>
          api.put(`/api/tickets/${id}`, ticketBody({ title: 'Raced', price: 30 }), sellerHeaders),
        () => created.handle(order),
      ]);
      const res = (edit as PromiseFulfilledResult<{ status: number; body: any }>).value;
      // Either the edit went first (and the reservation followed), or it was refused.
      if (res.status === 200) expect(res.body).toMatchObject({ status: 'available', version: 1 });
      else expect(res.status).toBe(409);
      expect(await ticket(id)).toMatchObject({
        status: 'reserved',
        orderId: order.data.id,
        version: res.status === 200 ? 2 : 1,
      });
      expect((await updates(id)).map((u) => u.version)).toEqual(res.status === 200 ? [1, 2] : [1]);
    });

    it('when the ticket is unknown, then the event is refused (to be retried, then dead-lettered)', async () => {
      const event = orderCreated(randomUUID());
      await expect(created.handle(event)).rejects.toThrow(/unknown/);
      expect(await inboxHas(event.id)).toBe(false);
    });

    it('when the order was cancelled before its creation arrived, then the ticket stays available', async () => {
      const id = await newTicket();
      const event = orderCreated(id);
      await cancelled.handle(orderCancelled(id, event.data.id));
      expect(await created.handle(event)).toBe(true);
      expect(await ticket(id)).toMatchObject({ status: 'available', orderId: null, version: 0 });
      expect(await updates(id)).toEqual([]);
    });
  });

  describe('order:cancelled', () => {
    it('when the order holding the ticket is cancelled, then it is released and ticket:updated recorded', async () => {
      const id = await newTicket();
      const order = orderCreated(id);
      await deliver(tickets.bus, order, 'tickets');
      await deliver(tickets.bus, orderCancelled(id, order.data.id), 'tickets');
      expect(await ticket(id)).toMatchObject({ status: 'available', orderId: null, version: 2 });
      expect((await updates(id)).map((u) => [u.status, u.orderId, u.version])).toEqual([
        ['reserved', order.data.id, 1],
        ['available', null, 2],
      ]);
    });

    it('when the same cancellation is handled twice, then it has one effect', async () => {
      const id = await newTicket();
      const order = orderCreated(id);
      await created.handle(order);
      const cancel = orderCancelled(id, order.data.id);
      expect(await cancelled.handle(cancel)).toBe(true);
      expect(await cancelled.handle(cancel)).toBe(false);
      expect(await cancelled.handle({ ...cancel, id: randomUUID() })).toBe(true);
      expect((await ticket(id)).version).toBe(2);
      expect(await updates(id)).toHaveLength(2);
    });

    it('when the cancelled order no longer holds the ticket, then it is not released', async () => {
      const id = await newTicket();
      const old = orderCreated(id);
      await created.handle(old);
      await cancelled.handle(orderCancelled(id, old.data.id));
      const current = orderCreated(id);
      await created.handle(current);
      // A late redelivery of the old cancellation, under a new event id.
      expect(await cancelled.handle(orderCancelled(id, old.data.id))).toBe(true);
      expect(await ticket(id)).toMatchObject({
        status: 'reserved',
        orderId: current.data.id,
        version: 3,
      });
    });

    it('when the ticket has been sold, then a cancellation never releases it', async () => {
      const id = await newTicket();
      const order = orderCreated(id);
      await created.handle(order);
      await completed.handle(orderCompleted(id, order.data.id));
      await cancelled.handle(orderCancelled(id, order.data.id));
      expect(await ticket(id)).toMatchObject({ status: 'sold', orderId: order.data.id });
    });

    it('when the ticket is unknown, then the cancellation is acknowledged with no effect', async () => {
      expect(await cancelled.handle(orderCancelled(randomUUID(), randomUUID()))).toBe(true);
    });

    it('when a ticket is reserved, then its seller cannot edit it (409) until the order is cancelled', async () => {
      const id = await newTicket();
      const order = orderCreated(id);
      await deliver(tickets.bus, order, 'tickets');
      const body = ticketBody({ title: 'Concert', price: 15 });
      const refused = await api.put(`/api/tickets/${id}`, body, sellerHeaders);
      expect(refused.status).toBe(409);
      await deliver(tickets.bus, orderCancelled(id, order.data.id), 'tickets');
      const edited = await api.put(`/api/tickets/${id}`, body, sellerHeaders);
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ status: 'available', price: 15, version: 3 });
    });
  });

  describe('order:completed', () => {
    it('when the order holding the ticket is completed, then it is sold and ticket:updated recorded', async () => {
      const id = await newTicket();
      const order = orderCreated(id);
      await deliver(tickets.bus, order, 'tickets');
      await deliver(tickets.bus, orderCompleted(id, order.data.id), 'tickets');
      expect(await ticket(id)).toMatchObject({
        status: 'sold',
        orderId: order.data.id,
        version: 2,
      });
      expect((await updates(id)).at(-1)).toMatchObject({
        status: 'sold',
        orderId: order.data.id,
        version: 2,
      });
    });

    it('when the same completion is handled twice or re-sent, then it has one effect', async () => {
      const id = await newTicket();
      const order = orderCreated(id);
      await created.handle(order);
      const done = orderCompleted(id, order.data.id);
      expect(await completed.handle(done)).toBe(true);
      expect(await completed.handle(done)).toBe(false);
      expect(await completed.handle({ ...done, id: randomUUID() })).toBe(true);
      expect((await ticket(id)).version).toBe(2);
      expect(await updates(id)).toHaveLength(2);
    });

    it('when it arrives before order:created, then it is refused with OutOfOrderError and applied after', async () => {
      const id = await newTicket();
      const order = orderCreated(id);
      const done = orderCompleted(id, order.data.id);
      await expect(completed.handle(done)).rejects.toBeInstanceOf(OutOfOrderError);
      expect(await inboxHas(done.id)).toBe(false);
      expect(await ticket(id)).toMatchObject({ status: 'available', version: 0 });
      await created.handle(order);
      expect(await completed.handle(done)).toBe(true);
      expect(await ticket(id)).toMatchObject({ status: 'sold', version: 2 });
    });

    it('when it arrives on the bus before order:created, then the bus redelivers it until it applies', async () => {
      const id = await newTicket();
      const order = orderCreated(id);
      const done = orderCompleted(id, order.data.id);
      const nacked = nextRefusal(tickets.bus, 'tickets', Subjects.OrderCompleted);
      const sold = deliver(tickets.bus, done, 'tickets');
      expect(await nacked).toBeInstanceOf(OutOfOrderError);
      await deliver(tickets.bus, order, 'tickets');
      await sold;
      expect(await ticket(id)).toMatchObject({
        status: 'sold',
        orderId: order.data.id,
        version: 2,
      });
    });

    it('when another order holds the ticket, then OutOfOrderError and nothing changes', async () => {
      const id = await newTicket();
      await created.handle(orderCreated(id));
      await expect(completed.handle(orderCompleted(id, randomUUID()))).rejects.toBeInstanceOf(
        OutOfOrderError,
      );
      expect(await ticket(id)).toMatchObject({ status: 'reserved', version: 1 });
    });

    it('when the ticket is unknown, then the event is refused', async () => {
      await expect(completed.handle(orderCompleted(randomUUID(), randomUUID()))).rejects.toThrow(
        /unknown/,
      );
    });
  });

  describe('user:created and user:updated', () => {
    const sellerName = async () => (await ticket(await newTicket())).seller.name;

    it('when a user is created and then renamed, then tickets show the latest name', async () => {
      await deliver(
        tickets.bus,
        userCreatedEvent({ id: sellerId, name: 'Ada', version: 0 }),
        'tickets',
      );
      expect(await sellerName()).toBe('Ada');
      await deliver(
        tickets.bus,
        userUpdatedEvent({ id: sellerId, name: 'Ada King', version: 1 }),
        'tickets',
      );
      expect(await sellerName()).toBe('Ada King');
    });

    it('when the same event is handled twice, then it is recorded once', async () => {
      const id = randomUUID();
      const event = userCreatedEvent({ id, name: 'Alan', version: 0 });
      expect(await userCreated.handle(event)).toBe(true);
      expect(await userCreated.handle(event)).toBe(false);
      const { rows } = await tickets.db.query('SELECT name, version FROM sellers WHERE id = $1', [
        id,
      ]);
      expect(rows).toEqual([{ name: 'Alan', version: 0 }]);
    });

    it('when an older or equal version arrives after a newer one, then the newer name stays', async () => {
      const id = randomUUID();
      const name = async () =>
        (await tickets.db.query<{ name: string }>('SELECT name FROM sellers WHERE id = $1', [id]))
          .rows[0]?.name;
      // Renamed twice; the second rename overtakes everything else.
      expect(await userUpdated.handle(userUpdatedEvent({ id, name: 'Third', version: 2 }))).toBe(
        true,
      );
      await userCreated.handle(userCreatedEvent({ id, name: 'First', version: 0 }));
      await userUpdated.handle(userUpdatedEvent({ id, name: 'Second', version: 1 }));
      await userUpdated.handle(userUpdatedEvent({ id, name: 'Other', version: 2 }));
      expect(await name()).toBe('Third');
      await userUpdated.handle(userUpdatedEvent({ id, name: 'Fourth', version: 3 }));
      expect(await name()).toBe('Fourth');
    });
  });
});
