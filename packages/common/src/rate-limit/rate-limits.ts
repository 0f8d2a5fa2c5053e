import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Queryable } from '../db/database.js';
import { StoreRateLimit, checked } from './store-rate-limit.js';

export { tooManyRequests } from './store-rate-limit.js';

/**
 * Per-key counters over `rate-limiter-flexible`, shared by every replica that uses the same store.
 *
 * Shape:
 * - A host picks the store once and hands services a {@link RateLimits} factory (in
 *   `ServiceDeps.rateLimits`): `redisRateLimits` (`@ticketing/common/bullmq`) when Redis is configured,
 *   {@link postgresRateLimits} on the service's own database for the standalone services
 *   (replicas of one service share their database, so the limit is shared too),
 *   {@link memoryRateLimits} where one process serves every request (the embedded app) and in
 *   unit tests.
 * - `await rateLimits.limit({ name, points, durationSeconds, message })` gives a {@link RateLimit}:
 *   at most `points` units per key in a fixed window of `durationSeconds` (the window starts at
 *   the key's first unit). `name` is unique per limit in one store (it prefixes the keys).
 * - `consume(key)` counts one unit or throws `TooManyRequestsError` (429, `Retry-After` in
 *   whole seconds ≥ 1, and `message`, which should name the limit: "at most 20 orders a minute").
 *   `check(key)` throws the same without counting; `penalty`/`reward`/`reset` adjust a key
 *   (e.g. count only failed sign-ins, clear them on success).
 * - Keys of any length are accepted: long ones are hashed, so a 95 kB email costs the store
 *   64 bytes, and every key expires with its window (state stays bounded).
 * - A store that does not answer makes the call reject with the store's error (not a 429).
 */
export interface RateLimits {
  readonly store: 'redis' | 'postgres' | 'memory';
  limit(options: RateLimitOptions): Promise<RateLimit>;
}

export interface RateLimitOptions {
  /** Names the limit in the store: lower-case letters, digits, `_` and `-` (e.g. `orders-per-minute`). */
  name: string;
  /** Units allowed per key in one window (a positive integer). */
  points: number;
  /** Length of the window, in seconds (a positive integer). */
  durationSeconds: number;
  /** The 429's message; say which limit was hit and how big it is. */
  message: string;
}

export interface RateLimitState {
  consumed: number;
  remaining: number;
  /** Milliseconds until the window of this key ends. */
  msBeforeReset: number;
}

export interface RateLimit {
  readonly options: RateLimitOptions;
  /** Counts `points` (default 1) for `key`; throws a 429 `TooManyRequestsError` when over. */
  consume(key: string, points?: number): Promise<RateLimitState>;
  /** Throws the same 429 when the key's units are already spent; counts nothing. */
  check(key: string): Promise<void>;
  /** Adds units without rejecting (e.g. a failed attempt after the fact). */
  penalty(key: string, points?: number): Promise<void>;
  /** Gives units back. */
  reward(key: string, points?: number): Promise<void>;
  /** Forgets the key: its window starts afresh. */
  reset(key: string): Promise<void>;
  /** The key's state, or null when it has no units counted in the current window. */
  get(key: string): Promise<RateLimitState | null>;
}

/**
 * Limits kept in a PostgreSQL table of their own per limit (`rate_limit_<name>`, created on first
 * use; rows past their window are deleted every 5 minutes). `db` is any of our handles (pool or
 * embedded engine): the limiter's queries go through `db.query`, outside any transaction.
 */
export function postgresRateLimits(db: Queryable): RateLimits {
  // rate-limiter-flexible talks to a pg Pool as `query({ text, values })`; statement names are
  // only an optimisation, so they are dropped.
  const pool = {
    query: (q: { text: string; values?: unknown[] }) => db.query(q.text, q.values),
  };
  return {
    store: 'postgres',
    async limit(options) {
      const o = checked(options);
      const limiter = await new Promise<RateLimiterPostgres>((resolve, reject) => {
        const created: RateLimiterPostgres = new RateLimiterPostgres(
          {
            storeClient: pool,
            storeType: 'pool',
            tableName: `rate_limit_${o.name.replace(/-/g, '_')}`,
            keyPrefix: o.name,
            points: o.points,
            duration: o.durationSeconds,
          },
          (error?: Error) => (error ? reject(error) : resolve(created)),
        );
      });
      return new StoreRateLimit(o, limiter);
    },
  };
}

/** Limits in this process's memory: for unit tests, never a deployment (not shared, not durable). */
export function memoryRateLimits(): RateLimits {
  return {
    store: 'memory',
    async limit(options) {
      const o = checked(options);
      const limiter = new RateLimiterMemory({
        keyPrefix: o.name,
        points: o.points,
        duration: o.durationSeconds,
      });
      return new StoreRateLimit(o, limiter);
    },
  };
}
