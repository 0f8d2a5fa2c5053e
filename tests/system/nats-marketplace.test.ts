import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettings, createAuthService } from '@ticketing/auth';
import {
  createHttpApp,
  listen,
  type Database,
  type RunningServer,
  type Service,
} from '@ticketing/common';
import { NatsEventBus } from '@ticketing/common/nats';
import { openPostgres } from '@ticketing/common/postgres';
import { createOrdersService, ordersSettings } from '@ticketing/orders';
import { createTicketsService, ticketsSettings } from '@ticketing/tickets';
import { eventually } from '../../test-support/http.js';
import { reservationJourney, signedUpClient } from '../../test-support/journeys.js';
import {
  NATS_URL,
  deleteNatsStreams,
  dropDatabase,
  hasNats,
  hasPostgres,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../test-support/servers.js';
import { TEST_JWT_KEY, testConfig } from '../../test-support/service-harness.js';
import { ticketBody } from '../../test-support/tickets.js';

/**
 * The distributed wiring: every service on its own PostgreSQL database and its own NATS
 * connection, sharing only the JetStream stream. One HTTP front routes by path, as the ingress.
 */
describe.skipIf(!hasPostgres || !hasNats)('marketplace over PostgreSQL and NATS JetStream', () => {
  const prefix = uniqueName('system');
  const urls: string[] = [];
  const databases: Database[] = [];
  const buses: NatsEventBus[] = [];
  const services: Service[] = [];
  let server: RunningServer;

  beforeAll(async () => {
    const factories = [
      ['auth', (deps: never) => createAuthService(deps, testConfig(authSettings))],
      ['tickets', (deps: never) => createTicketsService(deps, testConfig(ticketsSettings))],
      ['orders', (deps: never) => createOrdersService(deps, testConfig(ordersSettings))],
    ] as const;
    for (const [name, create] of factories) {
      const url = uniqueDatabaseUrl(name);
      urls.push(url);
      const db = await openPostgres(url);
      databases.push(db);
      const bus = await NatsEventBus.connect({ url: NATS_URL, prefix, name });
      buses.push(bus);
      const service = await create({ db, bus } as never);
      await service.start();
      services.push(service);
    }
    server = await listen(
      createHttpApp({
        routers: services.map((s) => s.router),
        jwtKey: TEST_JWT_KEY,
        readinessChecks: {},
      }),
      0,
      '127.0.0.1',
    );
  });

  afterAll(async () => {
    await server?.close();
    for (const service of services) await service.stop();
    for (const bus of buses) await bus.close();
    for (const db of databases) await db.close();
    for (const url of urls) await dropDatabase(url);
    await deleteNatsStreams(prefix);
  });

  it('when a ticket is listed, ordered, cancelled and edited, then every service agrees at each step', async () => {
    await reservationJourney(server.url);
  });

  it('when a listing that was ordered and given back is withdrawn, then over NATS orders refuses it every time and it stays withdrawn', async () => {
    const seller = await signedUpClient(server.url, 'Seller');
    const buyer = await signedUpClient(server.url, 'Buyer');
    const tag = `nats-withdrawn-${Date.now()}`;
    const listed = await seller.post('/api/tickets', ticketBody({ title: `Gig ${tag}` }));
    expect(listed.status).toBe(201);
    const ticketId: string = listed.body.id;
    // Reserved and released first, so the withdrawal is a later version the replica must apply
    // in order, after ticket:updated (reserved) and ticket:updated (available).
    const order = await eventually(
      () => buyer.post('/api/orders', { ticketId }),
      (r) => r.status !== 404,
    );
    expect(order.status).toBe(201);
    await eventually(
      () => seller.get(`/api/tickets/${ticketId}`),
      (r) => r.body.status === 'reserved',
    );
    expect((await seller.delete(`/api/tickets/${ticketId}`)).status).toBe(409);
    expect((await buyer.delete(`/api/orders/${order.body.id}`)).status).toBe(200);
    await eventually(
      () => seller.get(`/api/tickets/${ticketId}`),
      (r) => r.body.status === 'available',
    );

    const withdrawn = await seller.delete(`/api/tickets/${ticketId}`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    // Orders may accept an order in the milliseconds before the withdrawal reaches it; that
    // order is given back, and the ticket must still end withdrawn, never available.
    const refused = await eventually(
      async () => {
        const res = await buyer.post('/api/orders', { ticketId });
        if (res.status === 201) await buyer.delete(`/api/orders/${res.body.id}`);
        return res;
      },
      (r) => r.status === 409,
    );
    expect(refused.body.errors[0].message).toBe('Ticket has been withdrawn');
    // Once refused, refused for good: the replica never goes back to orderable.
    for (let i = 0; i < 10; i++) {
      const again = await buyer.post('/api/orders', { ticketId });
      expect(again.status).toBe(409);
      expect(again.body.errors[0].message).toBe('Ticket has been withdrawn');
    }
    const [ordersDb] = databases.slice(2);
    const { rows } = await ordersDb!.query<{ status: string }>(
      'SELECT status FROM tickets WHERE id = $1',
      [ticketId],
    );
    expect(rows).toEqual([{ status: 'withdrawn' }]);
    const finalTicket = await eventually(
      () => seller.get(`/api/tickets/${ticketId}`),
      (r) => r.body.status === 'withdrawn',
    );
    expect(finalTicket.body.orderId).toBeNull();
    expect((await buyer.get(`/api/tickets?q=${tag}`)).body).toEqual([]);
  });
});
