/**
 * `npx tsx bench/listings-reads.ts`: listing reads at 100,000 tickets: p50/p99 of each kind of GET /api/tickets (each sort, `q`,
 * the seller filter, the date and price filters) through the tickets service's real HTTP API,
 * beside its floor measured in the same run: the same SQL, with the same parameters, on a bare
 * pg pool (no HTTP, no validation, no JSON).
 */
import pg from 'pg';
import { createHttpApp, listen, loadConfig } from '@ticketing/common';
import { LocalEventBus } from '@ticketing/common/local-bus';
import { openPostgres } from '@ticketing/common/postgres';
import { createTicketsService, ticketsSettings } from '../services/tickets/src/index.js';
import { listingQueries, listingSql, seedListings } from '../test-support/listings-seed.js';
import { dropDatabase, uniqueDatabaseUrl } from '../test-support/servers.js';

/** Closed-loop load: `concurrency` workers send `total` requests; exact p50/p99 of each. */
async function runLoad(total: number, concurrency: number, send: () => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next++ < total) {
      const t0 = performance.now();
      await send();
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((x, y) => x - y);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { p50: pct(0.5), p99: pct(0.99) };
}
const fmt = (r: { p50: number; p99: number }) =>
  `p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms`;
const progress = (message: string) => console.error(`[bench] ${message}`);

const KEY = 'bench-key-that-is-long-enough-for-hs256-0123456789';
const SIZE = Number(process.env.BENCH_LISTINGS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_LISTING_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function main() {
  const dbUrl = uniqueDatabaseUrl('bench_listings');
  const db = await openPostgres(dbUrl, { poolSize: 10 });
  const busUrl = uniqueDatabaseUrl('bench_listings_bus');
  const busDb = await openPostgres(busUrl);
  const bus = await LocalEventBus.open(busDb);
  const service = await createTicketsService(
    { db, bus },
    loadConfig(ticketsSettings, { JWT_KEY: KEY }),
  );
  await service.start();
  const api = await listen(
    createHttpApp({ routers: [service.router], jwtKey: KEY, readinessChecks: {} }),
    0,
    '127.0.0.1',
  );
  const bare = new pg.Pool({ connectionString: dbUrl, max: 10 });
  try {
    progress(`seeding ${SIZE.toLocaleString('en-US')} tickets …`);
    await seedListings(db, SIZE);
    console.log(
      `\n${SIZE.toLocaleString('en-US')} tickets, ${REQUESTS} reads per kind, concurrency ${CONCURRENCY}` +
        '\n(floor: the same SQL on a bare pg pool)',
    );
    for (const { kind, query, filter } of listingQueries()) {
      const { sql, params } = await listingSql(filter);
      const url = `${api.url}/api/tickets${query ? `?${query}` : ''}`;
      // Warm both paths (plans, caches) before measuring.
      await runLoad(40, CONCURRENCY, () =>
        fetch(url).then(async (r) => (await r.arrayBuffer(), r.status)),
      );
      await runLoad(40, CONCURRENCY, () => bare.query(sql, params).then(() => 'ok'));
      const viaApi = await runLoad(REQUESTS, CONCURRENCY, () =>
        fetch(url).then(async (r) => (await r.arrayBuffer(), r.status)),
      );
      const floor = await runLoad(REQUESTS, CONCURRENCY, () =>
        bare.query(sql, params).then(() => 'ok'),
      );
      console.log(`${kind.padEnd(22)} api   ${fmt(viaApi)}`);
      console.log(`${''.padEnd(22)} floor ${fmt(floor)}`);
    }
  } finally {
    await bare.end();
    await api.close();
    await service.stop();
    await bus.close();
    await busDb.close();
    await db.close();
    await dropDatabase(dbUrl);
    await dropDatabase(busUrl);
  }
}

await main();
