import type { RateLimit, RateLimits } from '@ticketing/common';

export interface SignInLimits {
  /** Failed sign-ins allowed per client IP (any email) per window. */
  maxFailuresPerIp: number;
  /** Failed sign-ins allowed per (email, client IP) pair per window. */
  maxFailuresPerClient: number;
  windowSeconds: number;
  /**
   * Failures on one email (from anywhere) per minute before clients that failed on it are slowed
   * down; 3× that per 10 minutes and 10× per hour slow them for longer.
   */
  floodThreshold: number;
}

/**
 * Slows password guessing without letting anyone lock the owner out:
 *
 * - failures per client IP (one address trying many accounts) and per (email, IP) pair (one
 *   address guessing one account) are limited, each within `windowSeconds`;
 * - failures on one email from everywhere (a flood from many addresses) slow down the clients
 *   that have already failed on that email, for longer as the flood goes on (1 min, 10 min,
 *   1 h windows): `Retry-After` grows;
 * - a client that has not failed on the email is never refused because of other clients'
 *   failures, so the owner's right password still signs in during a flood.
 *
 * A success clears that client's failures on the email only. Counters live in the store the
 * host chose (`RateLimits`: Redis or PostgreSQL), which every auth replica shares.
 */
export class SignInRateLimit {
  private constructor(
    private readonly perIp: RateLimit,
    private readonly perClient: RateLimit,
    /** Longest window first, so the longest wait is the one reported. */
    private readonly flood: RateLimit[],
  ) {}

  static async create(store: RateLimits, limits: SignInLimits): Promise<SignInRateLimit> {
    const message = 'Too many failed sign-ins, try again later';
    const perIp = await store.limit({
      name: 'signin-failures-ip',
      points: limits.maxFailuresPerIp,
      durationSeconds: limits.windowSeconds,
      message,
    });
    const perClient = await store.limit({
      name: 'signin-failures-client',
      points: limits.maxFailuresPerClient,
      durationSeconds: limits.windowSeconds,
      message,
    });
    const flood = await Promise.all(
      [
        [10, 3600],
        [3, 600],
        [1, 60],
      ].map(([factor, seconds]) =>
        store.limit({
          name: `signin-flood-${seconds}s`,
          points: limits.floodThreshold * factor!,
          durationSeconds: seconds!,
          message: 'Too many failed sign-ins for this account, try again later',
        }),
      ),
    );
    return new SignInRateLimit(perIp, perClient, flood);
  }

  /** Throws 429 when this client may not try now; counts nothing. */
  async beforeAttempt(ip: string, email: string): Promise<void> {
    const client = clientKey(ip, email);
    await this.perIp.check(ip);
    await this.perClient.check(client);
    const mine = await this.perClient.get(client);
    if (mine && mine.consumed > 0) {
      for (const limit of this.flood) await limit.check(email.toLowerCase());
    }
  }

  async failed(ip: string, email: string): Promise<void> {
    await Promise.all([
      this.perIp.penalty(ip),
      this.perClient.penalty(clientKey(ip, email)),
      ...this.flood.map((limit) => limit.penalty(email.toLowerCase())),
    ]);
  }

  async succeeded(ip: string, email: string): Promise<void> {
    await this.perClient.reset(clientKey(ip, email));
  }
}

const clientKey = (ip: string, email: string) => `${email.toLowerCase()}|${ip}`;
