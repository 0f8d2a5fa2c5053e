import {
  createHttpApp,
  createMetricsApp,
  endProcessGracefully,
  envVar,
  listen,
  loadConfigOrExit,
  logger,
  parseTrustProxy,
  postgresRateLimits,
  retentionFrom,
  retentionSettings,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import { NatsEventBus } from '@ticketing/common/nats';
import { openPostgres } from '@ticketing/common/postgres';
import { z } from 'zod';

/** Settings every standalone service reads, beside its own. */
export const standaloneSettings = {
  PORT: envVar.port(3000),
  METRICS_PORT: envVar
    .port(9464)
    .describe('port of /metrics and the detailed /readyz, for operators only (0: any free port)'),
  DATABASE_URL: envVar
    .url(['postgres', 'postgresql'])
    .describe("the service's own PostgreSQL database"),
  NATS_URL: envVar.url(['nats']).describe('NATS server with JetStream'),
  NATS_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ only')
    .default('ticketing')
    .describe('names the JetStream stream and subjects; one per deployment'),
  JWT_KEY: envVar.jwtKey(),
  TRUST_PROXY: z
    .string()
    .default('loopback, linklocal, uniquelocal')
    .describe('which proxies may set X-Forwarded-For (express "trust proxy")'),
  SHUTDOWN_GRACE_MS: envVar.positiveInt(10_000).describe('time allowed for a graceful stop'),
  OUTBOX_RETENTION_HOURS: retentionSettings.OUTBOX_RETENTION_HOURS,
  INBOX_RETENTION_HOURS: retentionSettings.INBOX_RETENTION_HOURS,
};

/**
 * The distributed mode's entry point for one service: config from the environment, its own
 * PostgreSQL database, NATS JetStream, one HTTP port; SIGTERM drains and exits 0.
 */
export async function runStandalone<S extends z.ZodRawShape>(
  name: string,
  settings: S,
  create: (deps: ServiceDeps, config: z.infer<z.ZodObject<S>>) => Promise<Service>,
): Promise<void> {
  type Config = z.infer<z.ZodObject<typeof standaloneSettings>> & z.infer<z.ZodObject<S>>;
  // One pass over both sets, so every problem is reported at once.
  const config = loadConfigOrExit({ ...standaloneSettings, ...settings }, name) as Config;
  const db = await openPostgres(config.DATABASE_URL);
  const bus = await NatsEventBus.connect({
    url: config.NATS_URL,
    name,
    prefix: config.NATS_PREFIX,
  });
  // Limits count in the service's own database, which all its replicas share.
  const service = await create(
    { db, bus, rateLimits: postgresRateLimits(db), retention: retentionFrom(config) },
    config,
  );
  await service.start();
  const app = createHttpApp({
    routers: [service.router],
    jwtKey: config.JWT_KEY,
    readinessChecks: service.readinessChecks,
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
  });
  const server = await listen(app, config.PORT);
  logger.info({ service: name, port: server.port }, `${name} listening on ${server.port}`);
  // Metrics are worth less than the API: a taken port is logged, and the API keeps serving.
  const metrics = await listen(createMetricsApp(service.readinessChecks), config.METRICS_PORT).then(
    (running) => {
      logger.info({ service: name, port: running.port }, `${name} metrics on ${running.port}`);
      return running;
    },
    (error: unknown) => {
      logger.error({ service: name, err: error }, `${name} metrics port unavailable`);
      return undefined;
    },
  );

  endProcessGracefully({
    name,
    graceMs: config.SHUTDOWN_GRACE_MS,
    stop: async () => {
      // A proxy in front pools connections: idle ones may carry one more request, or end by the
      // proxy's idle timer, before they are dropped (see RunningServer#close).
      await server.close({ idleGraceMs: server.server.keepAliveTimeout + 1_000 });
      await metrics?.close();
      await service.stop();
      await bus.close();
      await db.close();
    },
  });
}
