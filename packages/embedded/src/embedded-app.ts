import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { authSettings, createAuthService } from '@ticketing/auth';
import { createOrdersService, ordersSettings } from '@ticketing/orders';
import { createTicketsService, ticketsSettings } from '@ticketing/tickets';
import {
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
  const databases: Database[] = [];
  const open = async (name: string) => {
    const db = await openPglite(join(options.dataDir, name));
    databases.push(db);
    return db;
  };

  const bus = await LocalEventBus.open(await open('bus'));
  // Each service on a database of its own, as in the distributed mode; only the bus is shared.
  const services = [
    await createAuthService({ db: await open('auth'), bus }, loadConfig(authSettings, env)),
    await createTicketsService(
      { db: await open('tickets'), bus },
      loadConfig(ticketsSettings, env),
    ),
    await createOrdersService({ db: await open('orders'), bus }, loadConfig(ordersSettings, env)),
  ];
  for (const service of services) await service.start();

  const app = createHttpApp({
    routers: services.map((s) => s.router),
    jwtKey: options.jwtKey,
    readinessChecks: Object.fromEntries(
      services.flatMap((s) =>
        Object.entries(s.readinessChecks).map(([check, fn]) => [`${s.name}.${check}`, fn]),
      ),
    ),
  });
  const server = await listen(app, options.port, options.host);
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
