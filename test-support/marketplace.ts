import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authSettings, createAuthService } from '@ticketing/auth';
import {
  createHttpApp,
  listen,
  type Database,
  type EventBus,
  type RunningServer,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import { DatabaseScheduler } from '@ticketing/common/database-scheduler';
import { LocalEventBus } from '@ticketing/common/local-bus';
import { NatsEventBus } from '@ticketing/common/nats';
import { openPostgres } from '@ticketing/common/postgres';
import { createNotificationsService, notificationsSettings } from '@ticketing/notifications';
import { createOrdersService, ordersSettings } from '@ticketing/orders';
import { createPaymentsService, paymentsSettings } from '@ticketing/payments';
import { paymentProviderFrom, paymentProviderSettings } from '@ticketing/service-host';
import { createTicketsService, ticketsSettings } from '@ticketing/tickets';
import {
  NATS_URL,
  deleteNatsStreams,
  dropDatabase,
  uniqueDatabaseUrl,
  uniqueName,
} from './servers.js';
import { TEST_JWT_KEY, testConfig } from './service-harness.js';

/**
 * `local`: the embedded wiring — every service in one process on the durable local bus (as
 * `npm start`, without the storefront). `nats`: the distributed wiring — each service with its
 * own NATS JetStream connection, sharing only the stream.
 */
export type Wiring = 'local' | 'nats';

export interface RunningMarketplace {
  url: string;
  /** Each service's own database, by name. */
  db: Record<'auth' | 'tickets' | 'orders' | 'payments' | 'notifications', Database>;
  stop(): Promise<void>;
}

/**
 * Auth, tickets, orders, payments and notifications on fresh PostgreSQL databases (dropped at `stop`), wired as
 * `wiring` says, behind one HTTP app with the ingress's paths. `env` is given to every service's
 * settings (for example `ADMIN_EMAILS`); sign-up and order limits are raised for test traffic
 * unless `env` says otherwise.
 */
export async function startMarketplace(
  wiring: Wiring,
  env: Record<string, string> = {},
): Promise<RunningMarketplace> {
  // Password-reset mails (no SMTP_URL) go to a folder of this run's, removed at stop.
  const mailDir = await mkdtemp(join(tmpdir(), 'market-mail-'));
  const settings = {
    MAIL_DIR: mailDir,
    SIGNUP_MAX_PER_IP: '100000',
    ORDERS_PER_MINUTE_PER_USER: '100000',
    ...env,
  };
  const prefix = uniqueName('market');
  const urls: string[] = [];
  const databases: Database[] = [];
  const buses: EventBus[] = [];
  const services: Service[] = [];
  let server: RunningServer | undefined;

  const open = async (name: string) => {
    const url = uniqueDatabaseUrl(name);
    urls.push(url);
    const db = await openPostgres(url);
    databases.push(db);
    return db;
  };
  const local = wiring === 'local' ? await LocalEventBus.open(await open('bus')) : undefined;
  if (local) buses.push(local);

  async function stop() {
    await server?.close();
    for (const service of services.reverse()) await service.stop();
    for (const bus of buses) await bus.close();
    for (const db of databases) await db.close();
    for (const url of urls) await dropDatabase(url);
    if (wiring === 'nats') await deleteNatsStreams(prefix);
    await rm(mailDir, { recursive: true, force: true });
  }

  const factories = {
    auth: (deps: ServiceDeps) => createAuthService(deps, testConfig(authSettings, settings)),
    tickets: (deps: ServiceDeps) =>
      createTicketsService(deps, testConfig(ticketsSettings, settings)),
    orders: (deps: ServiceDeps) => createOrdersService(deps, testConfig(ordersSettings, settings)),
    payments: async (deps: ServiceDeps) =>
      createPaymentsService(
        {
          ...deps,
          paymentProvider: await paymentProviderFrom(testConfig(paymentProviderSettings, settings)),
        },
        testConfig(paymentsSettings, settings),
      ),
    notifications: (deps: ServiceDeps) =>
      createNotificationsService(
        { ...deps, scheduler: () => DatabaseScheduler.create(deps.db) },
        testConfig(notificationsSettings, settings),
      ),
  };
  const db = {} as RunningMarketplace['db'];
  try {
    for (const [name, create] of Object.entries(factories)) {
      const own = await open(name);
      db[name as keyof typeof factories] = own;
      let bus: EventBus | undefined = local;
      if (!bus) {
        bus = await NatsEventBus.connect({ url: NATS_URL, prefix, name });
        buses.push(bus);
      }
      const service = await create({ db: own, bus });
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
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: server.url, db, stop };
}
