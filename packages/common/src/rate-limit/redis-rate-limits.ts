import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimits } from './rate-limits.js';
import { StoreRateLimit, checked } from './store-rate-limit.js';

/**
 * Limits kept in Redis (ioredis client, owned and closed by the caller). Keys are
 * `<prefix>:<name>:<key>` and expire with their window.
 */
export function redisRateLimits(client: Redis, prefix = 'rl'): RateLimits {
  return {
    store: 'redis',
    async limit(options) {
      const o = checked(options);
      const limiter = new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `${prefix}:${o.name}`,
        points: o.points,
        duration: o.durationSeconds,
      });
      return new StoreRateLimit(o, limiter);
    },
  };
}
