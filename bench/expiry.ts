/**
 * Expiry lateness: how long after an order's `expiresAt` the expiration service publishes
 * `order:expired`, for many orders due within a few seconds of each other. Embedded wiring
 * (database scheduler on PGlite, local bus) and distributed wiring (BullMQ on Redis, PostgreSQL,
 * NATS JetStream).
 */
import { randomUUID } from 'node:crypto';
import {
  BullMqScheduler,
  DatabaseScheduler,
  LocalEventBus,
  NatsEventBus,
  Subjects,
  createEnvelope,
  loadConfig,
  openPglite,
  openPostgres,
  type Database,
  type EventBus,
  type Scheduler,
} from '@ticketing/common';
import { createExpirationService, expirationSettings } from '../services/expiration/src/index.js';
import {
  NATS_URL,
  REDIS_URL,
  deleteNatsStreams,
  dropDatabase,
  uniqueDatabaseUrl,
  uniqueName,
} from '../test-support/servers.js';
import { progress } from './lib/load.js';

const ORDERS = Number(process.env.BENCH_EXPIRY_ORDERS ?? 300);
const SPREAD_MS = 3_000;
/** Time for all order:created to be handled (and scheduled) before the first one is due. */
const LEAD_MS = Number(process.env.BENCH_EXPIRY_LEAD_MS ?? 20_000);

async function measure(name: string, db: Database, bus: EventBus, scheduler: Scheduler) {
  const service = await createExpirationService(
    { db, bus },
    loadConfig(expirationSettings, { JWT_KEY: 'x'.repeat(32) }),
    { scheduler },
  );
  await service.start();
  const due = new Map<string, number>();
  const lateness: number[] = [];
  const allFired = new Promise<void>((resolve) => {
    bus.on('published', (envelope) => {
      if (envelope.subject !== Subjects.OrderExpired) return;
      const at = due.get((envelope.data as { orderId: string }).orderId);
      if (at === undefined) return;
      lateness.push(Date.now() - at);
      if (lateness.length === ORDERS) resolve();
    });
  });
  const start = Date.now() + LEAD_MS;
  for (let i = 0; i < ORDERS; i++) {
    const id = randomUUID();
    const expiresAt = start + Math.floor((i / ORDERS) * SPREAD_MS);
    due.set(id, expiresAt);
    await bus.publish(
      createEnvelope(Subjects.OrderCreated, {
        id,
        userId: 'bench',
        status: 'created',
        expiresAt: new Date(expiresAt).toISOString(),
        version: 0,
        ticket: { id: randomUUID(), price: 100 },
      }),
    );
  }
  while ((await scheduler.pending()) < ORDERS) await new Promise((r) => setTimeout(r, 5));
  const handledIn = Date.now() - (start - LEAD_MS);
  if (Date.now() > start)
    console.warn(`[bench] ${name}: scheduling took longer than the lead time`);
  await allFired;
  lateness.sort((a, b) => a - b);
  const pct = (p: number) =>
    lateness[Math.min(lateness.length - 1, Math.floor((p / 100) * lateness.length))]!;
  console.log(
    `${name.padEnd(32)} expiry lateness: p50 ${pct(50)} ms  p99 ${pct(99)} ms  max ${lateness.at(-1)} ms  (${ORDERS} orders due over ${SPREAD_MS / 1000} s; ` +
      `all ${ORDERS} order:created published and scheduled in ${handledIn} ms)`,
  );
  await service.stop();
}

progress('expiry: embedded …');
{
  const db = await openPglite();
  const busDb = await openPglite();
  const bus = await LocalEventBus.open(busDb);
  await measure('embedded (database scheduler)', db, bus, await DatabaseScheduler.create(db));
  await bus.close();
  await db.close();
  await busDb.close();
}

progress('expiry: distributed …');
{
  const url = uniqueDatabaseUrl('bench_expiration');
  const prefix = uniqueName('benchexp');
  const db = await openPostgres(url);
  const bus = await NatsEventBus.connect({ url: NATS_URL, prefix, name: 'bench-expiration' });
  const scheduler = new BullMqScheduler({ url: REDIS_URL, queueName: `${prefix}_expiration` });
  await measure('distributed (BullMQ on Redis)', db, bus, scheduler);
  await bus.close();
  await db.close();
  await dropDatabase(url);
  await deleteNatsStreams(prefix);
}
