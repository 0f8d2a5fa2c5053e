/**
 * Server-side rendering: requests per second and p50/p99 latency of the home page with 50
 * tickets, rendered by the storefront in the embedded mode (the page calls the API on the same
 * server). The client must be built (`npm run build`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbedded } from '../packages/embedded/src/index.js';
import { fmt, progress, runLoad } from './lib/load.js';

const REQUESTS = Number(process.env.BENCH_SSR_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_SSR_CONCURRENCY ?? 16);

const dataDir = await mkdtemp(join(tmpdir(), 'bench-ssr-'));
progress('ssr: starting the embedded mode …');
const app = await startEmbedded({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  jwtKey: 'bench-key-that-is-long-enough-for-hs256-0123456789',
});

const signup = await fetch(`${app.url}/api/users/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'seller@bench.example', password: 'password123', name: 'Seller' }),
});
const cookie = signup.headers.getSetCookie()[0]!.split(';')[0]!;
for (let i = 0; i < 50; i++) {
  await fetch(`${app.url}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ title: `Bench concert ${i}`, price: 20 + i, description: 'Row A' }),
  });
}

const home = async () => {
  const res = await fetch(`${app.url}/`);
  const html = await res.text();
  if (!html.includes('Bench concert 49')) throw new Error('home page without the tickets');
  return res.status;
};
progress('ssr: warming up …');
await runLoad(100, CONCURRENCY, home);
progress(`ssr: ${REQUESTS} requests, concurrency ${CONCURRENCY} …`);
const result = await runLoad(REQUESTS, CONCURRENCY, home);
console.log(`home page, 50 tickets, server-rendered   ${fmt(result)}`);

await app.stop();
await rm(dataDir, { recursive: true, force: true });
