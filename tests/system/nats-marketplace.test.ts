import { afterAll, beforeAll, describe, it } from 'vitest';
import { authSettings, createAuthService } from '@ticketing/auth';
import {
  NatsEventBus,
  createHttpApp,
  listen,
  openPostgres,
  type Database,
  type RunningServer,
  type Service,
} from '@ticketing/common';
import { createOrdersService, ordersSettings } from '@ticketing/orders';
import { createTicketsService, ticketsSettings } from '@ticketing/tickets';
import { reservationJourney } from '../../test-support/journeys.js';
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
});
