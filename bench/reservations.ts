/**
 * Reservations per second and latency through the real HTTP API of the orders service, on
 * PostgreSQL with the outbox relayed to NATS JetStream, beside two floors measured in the same run
 * on the same PostgreSQL:
 *   - sql:  the same transaction (createOrder: lock ticket, check hold, insert order + outbox row)
 *           called directly on the pool, no HTTP;
 *   - bare: a bare express handler that runs only that transaction.
 * Two workloads: many buyers over many tickets, and one hot ticket with 1,000 simultaneous buyers.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import {
  NatsEventBus,
  createHttpApp,
  listen,
  loadConfig,
  openPostgres,
  signSession,
  type Database,
} from '@ticketing/common';
import { createOrdersService, ordersSettings } from '../services/orders/src/index.js';
import { createOrder } from '../services/orders/src/domain/create-order.js';
import { insertTicket } from '../services/orders/src/data/ticket-replica-repository.js';
import {
  NATS_URL,
  deleteNatsStreams,
  dropDatabase,
  uniqueDatabaseUrl,
  uniqueName,
} from '../test-support/servers.js';
import { fmt, progress, runLoad, type LoadResult } from './lib/load.js';

const KEY = 'bench-key-that-is-long-enough-for-hs256-0123456789';
const MANY = Number(process.env.BENCH_TICKETS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const HOT_BUYERS = Number(process.env.BENCH_HOT_BUYERS ?? 1000);
const WINDOW = { windowSeconds: 900 };
const SELLER = 'bench-seller';

async function seedTickets(db: Database, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  for (let i = 0; i < ids.length; i += 500) {
    await db.transaction(async (tx) => {
      for (const id of ids.slice(i, i + 500)) {
        await insertTicket(tx, {
          id,
          title: 'Bench ticket',
          price: 2500,
          userId: SELLER,
          version: 0,
        });
      }
    });
  }
  return ids;
}

const buyers = async (count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      signSession(
        { id: `buyer-${i}-${randomUUID()}`, email: `b${i}@bench`, name: `B${i}` },
        KEY,
        3600,
      ),
    ),
  );

const post = (url: string, token: string | undefined, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });

async function main() {
  const dbUrl = uniqueDatabaseUrl('bench_orders');
  const prefix = uniqueName('bench');
  progress(`PostgreSQL database ${new URL(dbUrl).pathname.slice(1)}, NATS prefix ${prefix}`);
  const db = await openPostgres(dbUrl, { poolSize: 10 });
  const bus = await NatsEventBus.connect({ url: NATS_URL, prefix, name: 'bench' });
  const service = await createOrdersService(
    { db, bus },
    loadConfig(ordersSettings, { JWT_KEY: KEY, RESERVATION_WINDOW_SECONDS: '900' }),
  );
  await service.start();
  const api = await listen(
    createHttpApp({ routers: [service.router], jwtKey: KEY, readinessChecks: {} }),
    0,
    '127.0.0.1',
  );

  // The bare floor: the same transaction behind express.json and nothing else.
  const bare = express();
  bare.use(express.json());
  bare.post('/reserve', async (req, res) => {
    try {
      res
        .status(201)
        .json(await createOrder(db, req.body.buyer, { ticketId: req.body.ticketId }, WINDOW));
    } catch (error) {
      res.status((error as { status?: number }).status ?? 500).end();
    }
  });
  const bareServer = await listen(bare, 0, '127.0.0.1');

  const tokens = await buyers(Math.max(MANY, HOT_BUYERS));
  const buyerIds = tokens.map((_, i) => `floor-buyer-${i}`);
  const results: Array<[string, string, LoadResult]> = [];
  const measure = async (workload: string, path: string, fn: () => Promise<LoadResult>) => {
    progress(`${workload}: ${path} …`);
    const r = await fn();
    results.push([workload, path, r]);
    console.log(`${workload.padEnd(10)} ${path.padEnd(5)} ${fmt(r)}`);
  };
  const status = (e: unknown) => (e as { status?: number }).status ?? 500;

  // Warm-up: JIT, pool connections, plans.
  const warm = await seedTickets(db, 200);
  await runLoad(200, CONCURRENCY, (i) =>
    post(`${api.url}/api/orders`, tokens[i], { ticketId: warm[i] }),
  );

  console.log(`\nmany buyers over many tickets: ${MANY} orders, concurrency ${CONCURRENCY}`);
  for (const path of ['http', 'sql', 'bare'] as const) {
    const tickets = await seedTickets(db, MANY);
    await measure('many', path, () =>
      runLoad(MANY, CONCURRENCY, (i) => {
        if (path === 'http')
          return post(`${api.url}/api/orders`, tokens[i], { ticketId: tickets[i] });
        if (path === 'bare')
          return post(`${bareServer.url}/reserve`, undefined, {
            buyer: buyerIds[i],
            ticketId: tickets[i],
          });
        return createOrder(db, buyerIds[i]!, { ticketId: tickets[i]! }, WINDOW).then(
          () => 201,
          status,
        );
      }),
    );
  }

  console.log(`\none hot ticket: ${HOT_BUYERS} simultaneous buyers`);
  for (const path of ['http', 'sql', 'bare'] as const) {
    const [ticket] = await seedTickets(db, 1);
    await measure('hot', path, () =>
      runLoad(HOT_BUYERS, HOT_BUYERS, (i) => {
        if (path === 'http') return post(`${api.url}/api/orders`, tokens[i], { ticketId: ticket });
        if (path === 'bare')
          return post(`${bareServer.url}/reserve`, undefined, {
            buyer: buyerIds[i],
            ticketId: ticket,
          });
        return createOrder(db, buyerIds[i]!, { ticketId: ticket! }, WINDOW).then(() => 201, status);
      }),
    );
  }

  console.log('\nratios (http ÷ floor, reservations per second; p99 latency http ÷ floor)');
  for (const workload of ['many', 'hot']) {
    const get = (p: string) => results.find(([w, q]) => w === workload && q === p)![2];
    const http = get('http');
    for (const floor of ['sql', 'bare']) {
      const f = get(floor);
      console.log(
        `${workload.padEnd(5)} vs ${floor.padEnd(5)} throughput ${(http.perSecond / f.perSecond).toFixed(2)}  p99 ${(http.p99 / f.p99).toFixed(2)}`,
      );
    }
    const wins = http.statuses['201'] ?? 0;
    if (workload === 'hot' && wins !== 1) throw new Error(`hot ticket had ${wins} winners`);
  }

  await bareServer.close();
  await api.close();
  await service.stop();
  await bus.close();
  await db.close();
  await dropDatabase(dbUrl);
  await deleteNatsStreams(prefix);
}

await main();
