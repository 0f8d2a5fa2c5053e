import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Subjects,
  createEnvelope,
  loadConfig,
  type Database,
  type EventBus,
  type EventEnvelope,
  type Scheduler,
  type SchedulerFactory,
  type Service,
} from '@ticketing/common';
import { BullMqScheduler } from '@ticketing/common/bullmq';
import { DatabaseScheduler } from '@ticketing/common/database-scheduler';
import { LocalEventBus } from '@ticketing/common/local-bus';
import { openPostgres } from '@ticketing/common/postgres';
import {
  startTestEmbeddedServer,
  type TestEmbeddedServer,
} from '../../../test-support/embedded.js';
import { deliver, outboxEnvelopes } from '../../../test-support/events.js';
import { eventually } from '../../../test-support/http.js';
import {
  REDIS_URL,
  dropDatabase,
  hasPostgres,
  obliterateQueue,
  redisAvailable,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../../test-support/servers.js';
import {
  startTestService,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import { expirationSettings, type ExpirationConfig } from './config.js';
import { createExpirationService } from './service.js';

const hasRedis = await redisAvailable();

const CONSUMER = 'expiration';

// The embedded mode's engine, started once for this file when a test asks for it.
let embeddedServer: Promise<TestEmbeddedServer> | undefined;
const embedded = () => (embeddedServer ??= startTestEmbeddedServer());
afterAll(async () => (await embeddedServer)?.stop());

/** Resolves with the next order:expired for `orderId` that reaches the bus. */
function nextExpiry(bus: EventBus, orderId: string) {
  return new Promise<EventEnvelope<typeof Subjects.OrderExpired>>((resolve) => {
    const onPublished = (envelope: EventEnvelope) => {
      if (envelope.subject !== Subjects.OrderExpired) return;
      const expired = envelope as EventEnvelope<typeof Subjects.OrderExpired>;
      if (expired.data.orderId !== orderId) return;
      bus.off('published', onPublished);
      resolve(expired);
    };
    bus.on('published', onPublished);
  });
}

/** An order:created as orders announces it, expiring `inMs` from now. */
function orderCreated(inMs: number) {
  const data = {
    id: randomUUID(),
    userId: randomUUID(),
    status: 'created' as const,
    expiresAt: new Date(Date.now() + inMs).toISOString(),
    version: 0,
    ticket: { id: randomUUID(), price: 2500 },
  };
  return { data, envelope: createEnvelope(Subjects.OrderCreated, data) };
}

/** The order:expired events the service recorded for `orderId`. */
const expiriesIn = (db: Database, orderId: string) =>
  outboxEnvelopes(db, { subject: Subjects.OrderExpired, orderId });

interface Mode {
  name: string;
  enabled: boolean;
  /** Where startTestService runs the service (undefined: the local PostgreSQL server). */
  databaseUrl(): Promise<string | undefined>;
  config(): ExpirationConfig;
  /**
   * Where pending expirations wait, as this mode's host chooses: `scheduler(db)` is what the
   * service on `db` is given (one queue for every run of one store), `cleanup` removes the store.
   */
  schedulerStore(): { scheduler(db: Database): SchedulerFactory; cleanup(): Promise<void> };
  /** A database that survives a restart of the service: opened afresh by each run. */
  durableDatabase(): Promise<{ open(): Promise<Database>; remove(): Promise<void> }>;
}

const modes: Mode[] = [
  {
    name: 'embedded: DatabaseScheduler in the service database (embedded server)',
    enabled: true,
    databaseUrl: async () => (await embedded()).urlFor(uniqueName('expiration')),
    config: () => loadConfig(expirationSettings, {}),
    schedulerStore: () => ({
      scheduler: (db) => () => DatabaseScheduler.create(db),
      cleanup: async () => undefined,
    }),
    async durableDatabase() {
      const url = (await embedded()).urlFor(uniqueName('expiration'));
      // Removed with the server's folder.
      return { open: () => openPostgres(url), remove: async () => undefined };
    },
  },
  {
    name: 'distributed: BullMqScheduler on Redis (PostgreSQL)',
    enabled: hasRedis && hasPostgres,
    databaseUrl: async () => undefined,
    config: () => loadConfig(expirationSettings, {}),
    schedulerStore() {
      const queueName = uniqueName('expiration');
      return {
        scheduler: () => (hooks) =>
          new BullMqScheduler({ url: REDIS_URL, queueName, prefix: 'test', ...hooks }),
        cleanup: () => obliterateQueue(queueName, 'test'),
      };
    },
    async durableDatabase() {
      const url = uniqueDatabaseUrl('expiration');
      return { open: () => openPostgres(url), remove: () => dropDatabase(url) };
    },
  },
];

describe.each(modes)('Expiration service, $name', (mode) => {
  describe.skipIf(!mode.enabled)('on one run', () => {
    const store = mode.schedulerStore();
    let running: RunningTestService;
    let scheduler: Scheduler;

    beforeAll(async () => {
      const config = mode.config();
      running = await startTestService(
        (deps) =>
          createExpirationService(
            {
              ...deps,
              scheduler: async (hooks) => (scheduler = await store.scheduler(deps.db)(hooks)),
            },
            config,
          ),
        { databaseUrl: await mode.databaseUrl(), name: 'expiration' },
      );
    });
    afterAll(async () => {
      await running?.stop();
      await store.cleanup();
    });

    it('when order:created arrives, then order:expired is published at or after expiresAt', async () => {
      const { data, envelope } = orderCreated(1_000);
      const expiry = nextExpiry(running.bus, data.id);

      await deliver(running.bus, envelope, CONSUMER);

      const published = await expiry;
      expect(published.data).toEqual({ orderId: data.id });
      expect(Date.parse(published.occurredAt)).toBeGreaterThanOrEqual(Date.parse(data.expiresAt));
      expect((await expiriesIn(running.db, data.id)).map((e) => e.id)).toEqual([published.id]);
    });

    it('when order:created comes twice, then the order expires once', async () => {
      const { data, envelope } = orderCreated(1_000);
      const expiry = nextExpiry(running.bus, data.id);

      await deliver(running.bus, envelope, CONSUMER);
      await deliver(running.bus, createEnvelope(Subjects.OrderCreated, data), CONSUMER);
      expect(await scheduler.pending()).toBeGreaterThanOrEqual(1);

      await expiry;
      await eventually(
        () => scheduler.pending(),
        (n) => n === 0,
        20_000,
      );
      expect(await expiriesIn(running.db, data.id)).toHaveLength(1);
    });

    it('when order:created comes again after the order expired, then it is not expired again', async () => {
      const { data, envelope } = orderCreated(0);
      const expiry = nextExpiry(running.bus, data.id);
      await deliver(running.bus, envelope, CONSUMER);
      await expiry;

      await deliver(running.bus, createEnvelope(Subjects.OrderCreated, data), CONSUMER);

      await eventually(
        () => scheduler.pending(),
        (n) => n === 0,
        20_000,
      );
      expect(await expiriesIn(running.db, data.id)).toHaveLength(1);
    });

    it('when the service is asked whether it is ready, then the scheduler is among its checks', async () => {
      const res = await fetch(`${running.url}/readyz`);
      expect(res.status).toBe(200);
      expect(Object.keys(running.service.readinessChecks)).toContain('scheduler');
    });
  });

  it.skipIf(!mode.enabled)(
    'when the service restarts between scheduling and expiry, then the expiry still fires',
    async () => {
      const config = mode.config();
      const schedulerStore = mode.schedulerStore();
      const store = await mode.durableDatabase();
      // The bus outlives the service, as the embedded host's bus or NATS do.
      const busStore = await mode.durableDatabase();
      const busDb = await busStore.open();
      type BeforeStart = (db: Database, bus: EventBus) => Promise<void>;
      const boot = async (beforeStart: BeforeStart = async () => undefined) => {
        const db = await store.open();
        const bus = await LocalEventBus.open(busDb);
        await beforeStart(db, bus);
        const service: Service = await createExpirationService(
          { db, bus, scheduler: schedulerStore.scheduler(db) },
          config,
        );
        await service.start();
        return {
          db,
          bus,
          async stop() {
            await service.stop();
            await bus.close();
            await db.close();
          },
        };
      };
      try {
        const before = await boot();
        const { data, envelope } = orderCreated(4_000);
        await deliver(before.bus, envelope, CONSUMER);
        await before.stop();

        let expiry: ReturnType<typeof nextExpiry> | undefined;
        const after = await boot(async (db, bus) => {
          // Checked once the first run has stopped: nothing fired before the restart.
          expect(await expiriesIn(db, data.id)).toEqual([]);
          expiry = nextExpiry(bus, data.id);
        });
        try {
          const published = await expiry!;
          expect(Date.parse(published.occurredAt)).toBeGreaterThanOrEqual(
            Date.parse(data.expiresAt),
          );
          expect(await expiriesIn(after.db, data.id)).toHaveLength(1);
        } finally {
          await after.stop();
        }
      } finally {
        await busDb.close();
        await schedulerStore.cleanup();
        await store.remove();
        await busStore.remove();
      }
    },
  );
});
