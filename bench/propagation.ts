/**
 * Event propagation lag: from the moment `POST /api/tickets` is sent to the moment the orders
 * service has applied `ticket:created` to its replica (the ticket is orderable), measured by the
 * bus's own `acked` fact; and how often the ticket was orderable before the seller even had the
 * 201. Run twice: the embedded wiring (PGlite and the durable local bus) and
 * the distributed wiring (PostgreSQL and NATS JetStream), each service on its own database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LocalEventBus,
  NatsEventBus,
  createHttpApp,
  listen,
  loadConfig,
  openPglite,
  openPostgres,
  signSession,
  type Database,
  type EventBus,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import { createOrdersService, ordersSettings } from '../services/orders/src/index.js';
import { createTicketsService, ticketsSettings } from '../services/tickets/src/index.js';
import {
  NATS_URL,
  deleteNatsStreams,
  dropDatabase,
  uniqueDatabaseUrl,
  uniqueName,
} from '../test-support/servers.js';
import { progress } from './lib/load.js';

const KEY = 'bench-key-that-is-long-enough-for-hs256-0123456789';
const TICKETS = Number(process.env.BENCH_PROPAGATION_TICKETS ?? 300);
const env = { JWT_KEY: KEY };

interface Wiring {
  name: string;
  deps: (service: string) => Promise<ServiceDeps & { ordersBus?: EventBus }>;
  cleanup: () => Promise<void>;
}

async function measure(wiring: Wiring) {
  const ticketsDeps = await wiring.deps('tickets');
  const ordersDeps = await wiring.deps('orders');
  const services: Service[] = [
    await createTicketsService(ticketsDeps, loadConfig(ticketsSettings, env)),
    await createOrdersService(ordersDeps, loadConfig(ordersSettings, env)),
  ];
  for (const s of services) await s.start();
  const server = await listen(
    createHttpApp({ routers: services.map((s) => s.router), jwtKey: KEY, readinessChecks: {} }),
    0,
    '127.0.0.1',
  );
  const token = await signSession({ id: 'bench-seller', email: 's@bench', name: 'S' }, KEY, 3600);

  // When each ticket became orderable: the orders consumer acked its ticket:created.
  const orderable = new Map<string, number>();
  ordersDeps.bus.on('acked', ({ consumer, envelope }) => {
    if (consumer === 'orders' && envelope.subject === 'ticket:created') {
      orderable.set((envelope.data as { id: string }).id, performance.now());
    }
  });

  const lags: number[] = [];
  let readyBeforeAnswer = 0;
  for (let i = 0; i < TICKETS; i++) {
    const sent = performance.now();
    const res = await fetch(`${server.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: `Lag ${i}`, price: 10 }),
    });
    const answered = performance.now();
    const { id } = (await res.json()) as { id: string };
    while (!orderable.has(id)) await new Promise((r) => setImmediate(r));
    const at = orderable.get(id)!;
    if (at <= answered) readyBeforeAnswer += 1;
    lags.push(at - sent);
  }
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))]!;
  console.log(
    `${wiring.name.padEnd(22)} POST /api/tickets sent → orderable: p50 ${pct(50).toFixed(2)} ms  p99 ${pct(99).toFixed(2)} ms; ` +
      `orderable before the 201 reached the seller: ${((100 * readyBeforeAnswer) / TICKETS).toFixed(0)}% (${TICKETS} tickets, one at a time)`,
  );

  await server.close();
  for (const s of services) await s.stop();
  await wiring.cleanup();
}

async function embedded(): Promise<Wiring> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-embedded-'));
  const dbs: Database[] = [];
  const busDb = await openPglite(join(dir, 'bus'));
  const bus = await LocalEventBus.open(busDb);
  return {
    name: 'embedded (local bus)',
    deps: async (service) => {
      const db = await openPglite(join(dir, service));
      dbs.push(db);
      return { db, bus };
    },
    cleanup: async () => {
      await bus.close();
      for (const db of [...dbs, busDb]) await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function distributed(): Promise<Wiring> {
  const prefix = uniqueName('benchlag');
  const opened: Array<{ db: Database; bus: NatsEventBus; url: string }> = [];
  return {
    name: 'distributed (NATS)',
    deps: async (service) => {
      const url = uniqueDatabaseUrl(`bench_${service}`);
      const db = await openPostgres(url);
      const bus = await NatsEventBus.connect({ url: NATS_URL, prefix, name: service });
      opened.push({ db, bus, url });
      return { db, bus };
    },
    cleanup: async () => {
      for (const o of opened) {
        await o.bus.close();
        await o.db.close();
        await dropDatabase(o.url);
      }
      await deleteNatsStreams(prefix);
    },
  };
}

progress('propagation: embedded …');
await measure(await embedded());
progress('propagation: distributed …');
await measure(await distributed());
