import { createHash } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../errors/http-errors.js';
import type { RateLimit, RateLimitOptions, RateLimitState } from './rate-limits.js';

// What every store's limits share; the stores themselves are in rate-limits.ts (PostgreSQL,
// memory) and redis-rate-limits.ts (Redis, an adapter of its own).

const NAME = /^[a-z0-9_-]{1,60}$/;

/** The store's key for `key`: hashed when long, so any input costs a bounded amount of state. */
function storeKey(key: string): string {
  return key.length <= 100 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

const retryAfterSeconds = (msBeforeNext: number): number =>
  Math.max(1, Math.ceil(msBeforeNext / 1000));

/**
 * The 429 for a rejection from `rate-limiter-flexible`: `Retry-After` from its `msBeforeNext`
 * (whole seconds, at least 1) and the given message. Anything else (a store error) is returned
 * unchanged, so a caller can `throw tooManyRequests(e, msg)` from any catch.
 */
export function tooManyRequests(rejection: unknown, message: string): unknown {
  if (rejection instanceof RateLimiterRes)
    return new TooManyRequestsError(retryAfterSeconds(rejection.msBeforeNext), message);
  return rejection;
}

const stateOf = (res: RateLimiterRes): RateLimitState => ({
  consumed: res.consumedPoints,
  remaining: res.remainingPoints,
  msBeforeReset: Math.max(0, res.msBeforeNext),
});

export class StoreRateLimit implements RateLimit {
  constructor(
    readonly options: RateLimitOptions,
    private readonly limiter: RateLimiterAbstract,
  ) {}

  async consume(key: string, points = 1): Promise<RateLimitState> {
    try {
      return stateOf(await this.limiter.consume(storeKey(key), points));
    } catch (rejection) {
      throw tooManyRequests(rejection, this.options.message);
    }
  }

  async check(key: string): Promise<void> {
    const res = await this.limiter.get(storeKey(key));
    if (res && res.consumedPoints >= this.options.points)
      throw new TooManyRequestsError(retryAfterSeconds(res.msBeforeNext), this.options.message);
  }

  async penalty(key: string, points = 1): Promise<void> {
    await this.limiter.penalty(storeKey(key), points);
  }

  async reward(key: string, points = 1): Promise<void> {
    await this.limiter.reward(storeKey(key), points);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(storeKey(key));
  }

  async get(key: string): Promise<RateLimitState | null> {
    const res = await this.limiter.get(storeKey(key));
    return res ? stateOf(res) : null;
  }
}

export function checked(options: RateLimitOptions): RateLimitOptions {
  if (!NAME.test(options.name)) throw new Error(`rate limit name "${options.name}" is invalid`);
  for (const n of [options.points, options.durationSeconds])
    if (!Number.isInteger(n) || n < 1)
      throw new Error(
        `rate limit "${options.name}": points and duration must be positive integers`,
      );
  return options;
}
