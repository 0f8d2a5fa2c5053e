import {
  createHttpApp,
  listen,
  loadConfig,
  type Database,
  type EventBus,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import { LocalEventBus } from '@ticketing/common/local-bus';
import { openPostgres } from '@ticketing/common/postgres';
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
 * Runs one service the way its standalone main does, on port 0: on `databaseUrl` when given
 * (a database of the embedded server, say; kept), else on a fresh database of the local
 * PostgreSQL server (dropped afterwards); on the bus given, or on a local bus of its own (in a
 * fresh database too).
 */
export async function startTestService(
  create: (deps: ServiceDeps) => Promise<Service>,
  options: {
    databaseUrl?: string;
    bus?: EventBus;
    name?: string;
    /** Express's `trust proxy` for this app (default: the shared pipeline's). */
    trustProxy?: string | boolean;
  } = {},
): Promise<RunningTestService> {
  const dbUrl = options.databaseUrl ?? uniqueDatabaseUrl(options.name ?? 'svc');
  const db = await openPostgres(dbUrl);
  const busUrl = options.bus ? undefined : uniqueDatabaseUrl(`${options.name ?? 'svc'}_bus`);
  const busDb = busUrl ? await openPostgres(busUrl) : undefined;
  const ownBus = busDb ? await LocalEventBus.open(busDb) : undefined;
  const bus = options.bus ?? ownBus!;
  const service = await create({ db, bus });
  await service.start();
  const app = createHttpApp({
    routers: [service.router],
    jwtKey: TEST_JWT_KEY,
    readinessChecks: service.readinessChecks,
    trustProxy: options.trustProxy,
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
      await busDb?.close();
      await db.close();
      if (!options.databaseUrl) await dropDatabase(dbUrl);
      if (busUrl) await dropDatabase(busUrl);
    },
  };
}
