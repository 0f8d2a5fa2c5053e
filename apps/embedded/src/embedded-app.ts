import { join } from 'node:path';
import { authSettings, createAuthService } from '@ticketing/auth';
import { createClientHandler } from '@ticketing/client/server.mjs';
import { createExpirationService, expirationSettings } from '@ticketing/expiration';
import { createNotificationsService, notificationsSettings } from '@ticketing/notifications';
import { createOrdersService, ordersSettings } from '@ticketing/orders';
import { createPaymentsService, paymentsSettings } from '@ticketing/payments';
import { createTicketsService, ticketsSettings } from '@ticketing/tickets';
import {
  HOST_SCHEDULER_CONCURRENCY,
  createHttpApp,
  createMetricsApp,
  memoryRateLimits,
  parseTrustProxy,
  listen,
  loadConfig,
  logger,
  openApiRouter,
  retentionFrom,
  retentionSettings,
  type Database,
  type RunningServer,
  type Service,
} from '@ticketing/common';
import { DatabaseScheduler } from '@ticketing/common/database-scheduler';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@ticketing/common/embedded-postgres';
import { LocalEventBus } from '@ticketing/common/local-bus';
import { openPostgres } from '@ticketing/common/postgres';
import { paymentProviderFrom, paymentProviderSettings } from '@ticketing/service-host';

export interface EmbeddedOptions {
  port: number;
  /**
   * The operators' listener (`/metrics`, detailed `/readyz`) on `host`, as every standalone
   * service has; absent, none. A port already taken is logged and the app runs without it.
   */
  metricsPort?: number;
  host?: string;
  dataDir: string;
  jwtKey: string;
  env?: NodeJS.ProcessEnv;
}

export interface EmbeddedApp extends RunningServer {
  /** The operators' listener, when `metricsPort` was given and free. */
  metrics?: RunningServer;
  services: Service[];
  bus: LocalEventBus;
  /** The app's PostgreSQL server: its URLs, pid and how this start found it. */
  postgres: EmbeddedPostgres;
  stop(): Promise<void>;
}

/** The databases of the embedded server: the bus's and one per service. */
export const embeddedDatabases = [
  'bus',
  'auth',
  'tickets',
  'orders',
  'payments',
  'expiration',
  'notifications',
] as const;

/**
 * Every service in this process, each on its own database of one embedded PostgreSQL server
 * kept in `dataDir/postgres`, talking over the durable local bus, all behind one HTTP port with
 * the same paths as the ingress.
 */
export async function startEmbedded(
  options: EmbeddedOptions & { onNotice?: (message: string) => void },
): Promise<EmbeddedApp> {
  const given = options.env ?? process.env;
  const env: NodeJS.ProcessEnv = {
    ...given,
    JWT_KEY: options.jwtKey,
    // Without SMTP_URL, mail is written into the data folder, and links point at this server.
    MAIL_DIR: given.MAIL_DIR ?? join(options.dataDir, 'mail'),
    PUBLIC_URL: given.PUBLIC_URL ?? `http://localhost:${options.port || 3000}`,
  };
  // Settings first, so a bad one stops the start before anything is opened.
  const config = {
    auth: loadConfig(authSettings, env),
    tickets: loadConfig(ticketsSettings, env),
    orders: loadConfig(ordersSettings, env),
    payments: loadConfig(paymentsSettings, env),
    paymentProvider: loadConfig(paymentProviderSettings, env),
    expiration: loadConfig(expirationSettings, env),
    notifications: loadConfig(notificationsSettings, env),
  };
  const retention = retentionFrom(loadConfig(retentionSettings, env));
  // Each service on a database of its own, as in the distributed mode, through the same pg
  // adapter and migrations; only the bus is shared.
  const postgres = await startEmbeddedPostgres({
    dataDir: options.dataDir,
    databases: [...embeddedDatabases],
    onNotice: options.onNotice,
  });
  // At once: each is a pool and a first query; one after another they took half a second.
  const opening = await Promise.allSettled(
    embeddedDatabases.map((name) => openPostgres(postgres.urls[name]!)),
  );
  const databases = opening.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = opening.find((r) => r.status === 'rejected');
  if (failed) {
    for (const opened of databases) await opened.close();
    await postgres.stop();
    throw failed.reason;
  }
  const db = Object.fromEntries(
    embeddedDatabases.map((name, i) => [name, databases[i]!]),
  ) as Record<(typeof embeddedDatabases)[number], Database>;

  const bus = await LocalEventBus.open(db.bus);
  // The storefront's renderer and each service's migrations depend on nothing of each other:
  // prepared at once, which is most of a restart's time.
  let origin = '';
  // The storefront renders on the server by calling this same server's API; its port is known
  // only once listening (PORT=0), hence the function.
  const pagesReady = createClientHandler({ apiOrigin: () => origin });
  pagesReady.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  // The adapters this host chooses: the local bus above; pending expiries and reminders in the
  // service's own database, re-armed at start (a REDIS_URL in the environment changes nothing
  // here); Stripe when STRIPE_SECRET_KEY is set, else the sandbox.
  const paymentProvider = await paymentProviderFrom(config.paymentProvider);
  // One process serves every request, so per-user and per-client limits count in its memory: no
  // write transaction per order or sign-in (a restart forgets the counts, which is harmless).
  const rateLimits = memoryRateLimits();
  const services = await Promise.all([
    createAuthService({ db: db.auth, bus, retention, rateLimits }, config.auth),
    createTicketsService({ db: db.tickets, bus, retention, rateLimits }, config.tickets),
    createOrdersService({ db: db.orders, bus, retention, rateLimits }, config.orders),
    createPaymentsService(
      { db: db.payments, bus, retention, rateLimits, paymentProvider },
      config.payments,
    ),
    createExpirationService(
      {
        db: db.expiration,
        bus,
        retention,
        rateLimits,
        scheduler: () =>
          DatabaseScheduler.create(db.expiration, { concurrency: HOST_SCHEDULER_CONCURRENCY }),
      },
      config.expiration,
    ),
    createNotificationsService(
      {
        db: db.notifications,
        bus,
        retention,
        rateLimits,
        scheduler: () =>
          DatabaseScheduler.create(db.notifications, { concurrency: HOST_SCHEDULER_CONCURRENCY }),
      },
      config.notifications,
    ),
  ]);
  for (const service of services) await service.start();
  // Every consumer is subscribed now: the bus may forget what all of them finished long ago.
  const busSweep = setInterval(() => {
    bus
      .sweep(retention.busHours)
      .catch((error: unknown) => logger.warn({ err: error }, 'bus sweep'));
  }, retention.intervalMs);
  busSweep.unref();

  const pages = await pagesReady;
  const readinessChecks = Object.fromEntries(
    services.flatMap((s) =>
      Object.entries(s.readinessChecks).map(([check, fn]) => [`${s.name}.${check}`, fn]),
    ),
  );
  const app = createHttpApp({
    routers: [...services.map((s) => s.router), openApiRouter(services)],
    fallback: pages,
    jwtKey: options.jwtKey,
    // Nobody stands in front of this server unless the operator says so: X-Forwarded-For from
    // anyone else must not pick the client address that sign-in limits count.
    trustProxy: env.TRUST_PROXY ? parseTrustProxy(env.TRUST_PROXY) : false,
    readinessChecks,
  });
  /** Everything behind the listeners, in order: services, bus, databases, PostgreSQL. */
  const stopStarted = async () => {
    clearInterval(busSweep);
    for (const service of services) await service.stop();
    await bus.close();
    for (const opened of databases) await opened.close();
    await postgres.stop();
  };
  const server = await listen(app, options.port, options.host).catch(async (error: unknown) => {
    // The port is taken (or not ours): stop what was started, so that the process can exit and
    // the PostgreSQL server does not outlive it.
    await stopStarted().catch((stopError: unknown) =>
      logger.warn({ err: stopError }, 'stopping after a failed start'),
    );
    throw error;
  });
  const metrics =
    options.metricsPort === undefined
      ? undefined
      : await listen(createMetricsApp(readinessChecks), options.metricsPort, options.host).catch(
          (error: unknown) => {
            logger.error(
              { err: error, metricsPort: options.metricsPort },
              'metrics port unavailable (METRICS_PORT=0 picks a free one); running without it',
            );
            return undefined;
          },
        );
  origin = `http://127.0.0.1:${server.port}`;
  return {
    ...server,
    metrics,
    services,
    bus,
    postgres,
    async stop() {
      await server.close();
      await metrics?.close();
      await stopStarted();
    },
  };
}
