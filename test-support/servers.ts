import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * Where the real servers the tests use are, and whether they answer. On a laptop without them
 * the suites that need them skip with a message; in CI (CI=true) they are required, so a missing
 * server fails the run instead of silently skipping it.
 */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function answers(url: string, fallbackPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || fallbackPort) });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

async function available(name: string, url: string, port: number): Promise<boolean> {
  if (await answers(url, port)) return true;
  if (process.env.CI) throw new Error(`${name} is required in CI but does not answer at ${url}`);
  console.warn(`[skip] ${name} does not answer at ${url}: its tests are skipped`);
  return false;
}

export const hasPostgres = await available('PostgreSQL', POSTGRES_URL, 5432);
export const hasNats = await available('NATS', NATS_URL, 4222);
/** Asked only by the files that need Redis, so the others neither wait for it nor warn. */
export const redisAvailable = (): Promise<boolean> => available('Redis', REDIS_URL, 6379);

/** A database name of its own for one test file, so parallel files never share state. */
export const uniqueDatabaseUrl = (prefix: string): string =>
  `${POSTGRES_URL}/test_${prefix}_${randomBytes(4).toString('hex')}`;

export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(4).toString('hex')}`;

/** Drops a database made by `uniqueDatabaseUrl`, closing whatever still holds it. */
export async function dropDatabase(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Removes the JetStream streams a test bus made under `prefix`. */
export async function deleteNatsStreams(prefix: string): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const upper = prefix.toUpperCase();
    for (const stream of [upper, `${upper}_DEADLETTER`]) {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
  } finally {
    await nc.close();
  }
}

/** Removes one durable consumer a test made on a shared stream. */
export async function deleteNatsConsumer(stream: string, durable: string): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.delete(stream, durable).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

/** Removes a BullMQ queue a test made on Redis, with all its jobs. */
export async function obliterateQueue(name: string, prefix: string): Promise<void> {
  const { Queue } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const connection = new Redis(REDIS_URL);
  const queue = new Queue(name, { connection, prefix });
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
}
