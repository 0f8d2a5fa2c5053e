import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { authSettings, createAuthService } from '@ticketing/auth';
import { createClientHandler } from '@ticketing/client/server.mjs';
import { createExpirationService, expirationSettings } from '@ticketing/expiration';
import { createOrdersService, ordersSettings } from '@ticketing/orders';
import { createPaymentsService, paymentsSettings } from '@ticketing/payments';
import { createTicketsService, ticketsSettings } from '@ticketing/tickets';
import {
  DatabaseScheduler,
  LocalEventBus,
  createHttpApp,
  listen,
  loadConfig,
  openPglite,
  type Database,
  type RunningServer,
  type Service,
} from '@ticketing/common';

export interface EmbeddedOptions {
  port: number;
  host?: string;
  dataDir: string;
  jwtKey: string;
  env?: NodeJS.ProcessEnv;
}

export interface EmbeddedApp extends RunningServer {
  services: Service[];
  bus: LocalEventBus;
  stop(): Promise<void>;
}

/**
 * Every service in this process, each on its own embedded database in `dataDir`, talking over
 * the durable local bus, all behind one HTTP port with the same paths as the ingress.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedApp> {
  await mkdir(options.dataDir, { recursive: true });
  const env = { ...(options.env ?? process.env), JWT_KEY: options.jwtKey };
  // Settings first, so a bad one stops the start before anything is opened.
  const config = {
    auth: loadConfig(authSettings, env),
    tickets: loadConfig(ticketsSettings, env),
    orders: loadConfig(ordersSettings, env),
    payments: loadConfig(paymentsSettings, env),
    expiration: loadConfig(expirationSettings, env),
  };
  // Each service on a database of its own, as in the distributed mode; only the bus is shared.
  // They open side by side: a first start creates each one, which takes a few seconds apiece.
  const names = ['bus', 'auth', 'tickets', 'orders', 'payments', 'expiration'] as const;
  const opened = await Promise.all(names.map((name) => openPglite(join(options.dataDir, name))));
  const databases: Database[] = opened;
  const db = Object.fromEntries(names.map((name, i) => [name, opened[i]!])) as Record<
    (typeof names)[number],
    Database
  >;

  const bus = await LocalEventBus.open(db.bus);
  const services = [
    await createAuthService({ db: db.auth, bus }, config.auth),
    await createTicketsService({ db: db.tickets, bus }, config.tickets),
    await createOrdersService({ db: db.orders, bus }, config.orders),
    await createPaymentsService({ db: db.payments, bus }, config.payments),
    // Pending expiries live in the expiration database and are re-armed at start; passing the
    // scheduler keeps a REDIS_URL in the environment from switching this mode to BullMQ.
    await createExpirationService({ db: db.expiration, bus }, config.expiration, {
      scheduler: await DatabaseScheduler.create(db.expiration),
    }),
  ];
  for (const service of services) await service.start();

  // The storefront renders on the server by calling this same server's API; its port is known
  // only once listening (PORT=0), hence the function.
  let origin = '';
  const pages = await createClientHandler({ apiOrigin: () => origin });
  const app = createHttpApp({
    routers: services.map((s) => s.router),
    fallback: pages,
    jwtKey: options.jwtKey,
    readinessChecks: Object.fromEntries(
      services.flatMap((s) =>
        Object.entries(s.readinessChecks).map(([check, fn]) => [`${s.name}.${check}`, fn]),
      ),
    ),
  });
  const server = await listen(app, options.port, options.host);
  origin = `http://127.0.0.1:${server.port}`;
  return {
    ...server,
    services,
    bus,
    async stop() {
      await server.close();
      for (const service of services) await service.stop();
      await bus.close();
      for (const db of databases) await db.close();
    },
  };
}
