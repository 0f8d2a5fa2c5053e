import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '@ticketing/common';

export interface SignInLimits {
  maxPerIp: number;
  maxFailuresPerEmail: number;
  windowSeconds: number;
}

/**
 * Slows down password guessing from two sides: every attempt from one IP counts (stuffing many
 * accounts), and failed attempts on one email count wherever they come from (guessing one
 * account). A success clears the email's failures. Counters live in memory: per process, which
 * is the embedded mode's whole world; the distributed mode runs auth with sticky limits per
 * replica (see docs/decisions).
 */
export class SignInRateLimit {
  private readonly perIp: RateLimiterMemory;
  private readonly perEmail: RateLimiterMemory;

  constructor(private readonly limits: SignInLimits) {
    this.perIp = new RateLimiterMemory({ points: limits.maxPerIp, duration: limits.windowSeconds });
    this.perEmail = new RateLimiterMemory({
      points: limits.maxFailuresPerEmail,
      duration: limits.windowSeconds,
    });
  }

  /** Throws 429 when either limit is spent; otherwise counts this attempt against the IP. */
  async beforeAttempt(ip: string, email: string): Promise<void> {
    const emailState = await this.perEmail.get(email.toLowerCase());
    if (emailState && emailState.consumedPoints >= this.limits.maxFailuresPerEmail) {
      throw tooMany(emailState);
    }
    try {
      await this.perIp.consume(ip);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooMany(rejection);
      throw rejection;
    }
  }

  async failed(email: string): Promise<void> {
    await this.perEmail.penalty(email.toLowerCase(), 1);
  }

  async succeeded(email: string): Promise<void> {
    await this.perEmail.delete(email.toLowerCase());
  }
}

const tooMany = (state: RateLimiterRes) =>
  new TooManyRequestsError(
    Math.max(1, Math.ceil(state.msBeforeNext / 1000)),
    'Too many sign-in attempts, try again later',
  );
