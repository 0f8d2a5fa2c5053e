import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REDIS_URL,
  dropDatabase,
  hasPostgres,
  redisAvailable,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../../../test-support/servers.js';
import type { Database } from '../db/database.js';
import { openPostgres } from '../db/postgres-database.js';
import { TooManyRequestsError } from '../errors/http-errors.js';
import { memoryRateLimits, postgresRateLimits, type RateLimits } from './rate-limits.js';
import { redisRateLimits } from './redis-rate-limits.js';

const hasRedis = await redisAvailable();

interface Store {
  name: string;
  enabled: boolean;
  /** Two factories over the same store, as two replicas would have. */
  open(): Promise<[RateLimits, RateLimits]>;
  close(): Promise<void>;
}

const stores: Store[] = [
  (() => {
    const url = uniqueDatabaseUrl('ratelimit');
    let dbs: Database[] = [];
    return {
      name: 'PostgreSQL',
      enabled: hasPostgres,
      async open() {
        dbs = [await openPostgres(url), await openPostgres(url)];
        return [postgresRateLimits(dbs[0]!), postgresRateLimits(dbs[1]!)];
      },
      async close() {
        for (const db of dbs) await db.close();
        await dropDatabase(url);
      },
    };
  })(),
  (() => {
    let clients: Redis[] = [];
    const prefix = uniqueName('rltest');
    return {
      name: 'Redis',
      enabled: hasRedis,
      async open() {
        clients = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
        return [redisRateLimits(clients[0]!, prefix), redisRateLimits(clients[1]!, prefix)];
      },
      async close() {
        const keys = await clients[0]!.keys(`${prefix}:*`);
        if (keys.length) await clients[0]!.del(...keys);
        for (const c of clients) c.disconnect();
      },
    };
  })(),
];

async function rejection(p: Promise<unknown>): Promise<TooManyRequestsError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TooManyRequestsError);
  return error as TooManyRequestsError;
}

describe.each(stores)('rate limits in $name', (store) => {
  let a: RateLimits;
  let b: RateLimits;

  beforeAll(async () => {
    if (store.enabled) [a, b] = await store.open();
  });
  afterAll(async () => {
    if (store.enabled) await store.close();
  });

  it.skipIf(!store.enabled)(
    'when two replicas count one key past the limit, then the next is a 429 naming it, with Retry-After',
    async () => {
      const options = {
        name: 'orders-per-minute',
        points: 3,
        durationSeconds: 60,
        message: 'At most 3 orders a minute',
      };
      const [first, second] = [await a.limit(options), await b.limit(options)];
      await first.consume('buyer-1');
      await second.consume('buyer-1');
      expect((await first.consume('buyer-1')).remaining).toBe(0);
      const error = await rejection(second.consume('buyer-1'));
      expect(error.status).toBe(429);
      expect(error.message).toBe('At most 3 orders a minute');
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
      // Another key has its own allowance.
      expect((await first.consume('buyer-2')).remaining).toBe(2);
    },
  );

  it.skipIf(!store.enabled)(
    'when failures are counted as penalties, then check refuses once spent and reset clears it',
    async () => {
      const limit = await a.limit({
        name: 'failures',
        points: 2,
        durationSeconds: 60,
        message: 'Too many failed attempts',
      });
      await limit.check('x@example.com');
      await limit.penalty('x@example.com');
      await limit.penalty('x@example.com');
      await rejection(limit.check('x@example.com'));
      expect(await limit.get('x@example.com')).toMatchObject({ consumed: 2, remaining: 0 });
      await limit.reset('x@example.com');
      await limit.check('x@example.com');
      expect(await limit.get('x@example.com')).toBeNull();
    },
  );

  it.skipIf(!store.enabled)(
    'when a key is huge, then it is counted like any other (state stays bounded)',
    async () => {
      const limit = await a.limit({
        name: 'huge-keys',
        points: 1,
        durationSeconds: 60,
        message: 'Once a minute',
      });
      const huge = `${'a'.repeat(95_000)}@example.com`;
      await limit.consume(huge);
      await rejection(limit.consume(huge));
      // A different huge key is a different counter.
      await limit.consume(`${'b'.repeat(95_000)}@example.com`);
    },
  );

  it.skipIf(!store.enabled)('when the window passes, then the key may consume again', async () => {
    const limit = await b.limit({
      name: 'short-window',
      points: 1,
      durationSeconds: 1,
      message: 'Once a second',
    });
    await limit.consume('k');
    const error = await rejection(limit.consume('k'));
    expect(error.retryAfterSeconds).toBe(1);
    await new Promise((r) => setTimeout(r, 1_100));
    await limit.consume('k');
  });
});

describe('rate limit options', () => {
  it('when a name or a count is invalid, then the limit is refused at creation', async () => {
    const limits = memoryRateLimits();
    const base = { name: 'ok', points: 1, durationSeconds: 1, message: 'm' };
    await expect(limits.limit({ ...base, name: 'Bad Name; DROP' })).rejects.toThrow(/invalid/);
    await expect(limits.limit({ ...base, points: 0 })).rejects.toThrow(/positive/);
    await expect(limits.limit({ ...base, durationSeconds: 1.5 })).rejects.toThrow(/positive/);
  });
});
