// After the container tests (CI's last container step, `npm run test:containers`): nothing the
// podman stack made is left: no pod, container, secret or volume in podman, no database of
// the stack on PostgreSQL, no stream of its prefix on NATS, no BullMQ key of its prefix in
// Redis. Prints what is left and exits 1 if anything is.
//   npx tsx tests/containers/check-clean.ts [--baseline FILE]
//   npx tsx tests/containers/check-clean.ts --record FILE
// --record writes the podman objects present now (CI runs it before building the images);
// --baseline leaves those out of the check and names them apart: what another run left on the
// machine (a build killed half-way leaves its working containers) is not this run's leftover.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import pg from 'pg';
import { readFile, writeFile } from 'node:fs/promises';
import { NATS_URL, POSTGRES_URL, REDIS_URL } from '../../test-support/servers.js';
import { podman, renderStack } from './stack.js';

const lines = (text: string) => text.split('\n').filter(Boolean);
const option = (name: string) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
};

/** Every pod, container, secret and volume podman has, as `podman <kind> <id>` lines. */
async function podmanObjects(): Promise<string[]> {
  const found: string[] = [];
  for (const [what, args] of [
    ['pod', ['pod', 'ps', '--quiet']],
    // --external: also the working containers a failed or interrupted build leaves behind.
    ['container', ['ps', '--all', '--external', '--quiet']],
    ['secret', ['secret', 'ls', '--quiet']],
    ['volume', ['volume', 'ls', '--quiet']],
  ] as const) {
    for (const id of lines(await podman(...args))) found.push(`podman ${what} ${id}`);
  }
  return found;
}

const record = option('--record');
if (record) {
  const objects = await podmanObjects();
  await writeFile(record, objects.join('\n') + '\n');
  if (objects.length)
    console.log(`present before the run (left out of the check):\n  ${objects.join('\n  ')}`);
  process.exit(0);
}

const baselineFile = option('--baseline');
const before = new Set(
  baselineFile ? lines(await readFile(baselineFile, 'utf8').catch(() => '')) : [],
);
const stack = await renderStack();
const left: string[] = [];
const earlier: string[] = [];
for (const object of await podmanObjects()) (before.has(object) ? earlier : left).push(object);
if (earlier.length) console.log(`present before this run, not counted:\n  ${earlier.join('\n  ')}`);

const admin = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
await admin.connect();
const { rows } = await admin.query<{ datname: string }>(
  'SELECT datname FROM pg_database WHERE datname = ANY($1)',
  [stack.databases],
);
await admin.end();
for (const row of rows) left.push(`database ${row.datname}`);

const nc = await connect({ servers: NATS_URL });
const jsm = await jetstreamManager(nc);
for await (const info of jsm.streams.list()) {
  const name = info.config.name;
  if (
    name === stack.natsPrefix.toUpperCase() ||
    name.startsWith(`${stack.natsPrefix.toUpperCase()}_`)
  )
    left.push(`NATS stream ${name}`);
}
await nc.close();

const redis = new Redis(REDIS_URL);
const keys = await redis.keys(`${stack.bullmqPrefix}:*`);
await redis.quit();
if (keys.length) left.push(`${keys.length} Redis keys ${stack.bullmqPrefix}:*`);

if (left.length) {
  console.log(`left behind by the container tests:\n  ${left.join('\n  ')}`);
  process.exit(1);
}
console.log(
  'nothing left behind: no pod, container, secret, volume, database, stream or Redis key',
);
