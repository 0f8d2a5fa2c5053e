// The load generator's own process: `node bench/lib/cannon-worker.mjs <job.json>` runs autocannon
// with the job (see CannonJob in cannon.ts) and prints one JSON line with its result
// (CannonResult). It never shares a process, or an event loop, with the server under test. The
// job's requests are sent in order, round robin. Plain JavaScript: it starts without a compiler.
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';

const job = JSON.parse(await readFile(process.argv[2], 'utf8'));
let next = 0;
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  ...(job.amount ? { amount: job.amount } : { duration: job.seconds ?? 5 }),
  timeout: job.timeoutSeconds ?? 30,
  requests: [
    {
      setupRequest: (request) => {
        const r = job.requests[next++ % job.requests.length];
        return {
          ...request,
          method: r.method ?? 'GET',
          path: r.path,
          headers: { ...(r.body ? { 'content-type': 'application/json' } : {}), ...r.headers },
          body: r.body ? JSON.stringify(r.body) : undefined,
        };
      },
    },
  ],
});
const statuses = {};
for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {}))
  statuses[code] = count;
if (result.errors) statuses.error = result.errors;
if (result.timeouts) statuses.timeout = result.timeouts;
const completed = Object.values(statuses).reduce((a, b) => a + b, 0);
process.stdout.write(
  `${JSON.stringify({
    requests: completed,
    seconds: result.duration,
    perSecond: completed / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    statuses,
  })}\n`,
);
process.exit(0);
