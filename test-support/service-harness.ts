import {
  LocalEventBus,
  createHttpApp,
  listen,
  loadConfig,
  openPglite,
  openPostgres,
  type Database,
  type EventBus,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import { dropDatabase, uniqueDatabaseUrl } from './servers.js';

export const TEST_JWT_KEY = 'test-key-that-is-long-enough-for-hs256-0123456789';

/** A service's configuration as its tests run it: signed with TEST_JWT_KEY, `env` on top. */
export const testConfig = <S extends Parameters<typeof loadConfig>[0]>(
  settings: S,
  env: Record<string, string> = {},
) => loadConfig(settings, { JWT_KEY: TEST_JWT_KEY, ...env });

export interface RunningTestService {
  url: string;
  db: Database;
  bus: EventBus;
  service: Service;
  stop(): Promise<void>;
}

/**
 * Runs one service the way its standalone main does, on port 0: on a fresh PostgreSQL database
 * when `postgres` is set (dropped afterwards), else on in-memory PGlite; on the bus given, or
 * on a local bus of its own.
 */
export async function startTestService(
  create: (deps: ServiceDeps) => Promise<Service>,
  options: { postgres?: boolean; bus?: EventBus; name?: string } = {},
): Promise<RunningTestService> {
  const dbUrl = options.postgres ? uniqueDatabaseUrl(options.name ?? 'svc') : undefined;
  const db = dbUrl ? await openPostgres(dbUrl) : await openPglite();
  const ownBus = options.bus ? undefined : await LocalEventBus.open(await openPglite());
  const bus = options.bus ?? ownBus!;
  const service = await create({ db, bus });
  await service.start();
  const app = createHttpApp({
    routers: [service.router],
    jwtKey: TEST_JWT_KEY,
    readinessChecks: service.readinessChecks,
  });
  const server = await listen(app, 0, '127.0.0.1');
  return {
    url: server.url,
    db,
    bus,
    service,
    async stop() {
      await server.close();
      await service.stop();
      await ownBus?.close();
      await db.close();
      if (dbUrl) await dropDatabase(dbUrl);
    },
  };
}
