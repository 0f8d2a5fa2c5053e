import { PeriodicSweep, logger, type Database, type Scheduler } from '@ticketing/common';
import { pendingExpirations } from '../data/expiration-repository.js';
import { expireOrder } from './expire-order.js';

/** Pending expirations read per sweep; more than this many open orders waits for the next one. */
const SWEEP_BATCH = 5_000;
/**
 * How late an expiry must be before a sweep fires it itself rather than leaving it to its job,
 * which is normally running at that very moment.
 */
const LATE_MS = 2_000;

export interface ExpirySweeperOptions {
  /** Time between two sweeps, in milliseconds. */
  intervalMs: number;
}

/**
 * Rebuilds the scheduler from the `expirations` table, which is the record of every pending
 * expiry: a scheduler that can forget (Redis without persistence, a flushed queue) is only a
 * timer. Each sweep expires at once, straight in the database, every order whose window has
 * passed, so expiries keep happening while Redis is down; then it schedules the others again,
 * which is idempotent (the job id is the order id). It sweeps at start, every `intervalMs`, and
 * whenever `trigger()` is called (the scheduler's store came back). Sweeps never overlap.
 */
export class ExpirySweeper {
  private readonly turns: PeriodicSweep;

  constructor(
    private readonly db: Database,
    private readonly scheduler: Scheduler,
    private readonly options: ExpirySweeperOptions,
  ) {
    this.turns = new PeriodicSweep('expiry sweep', options.intervalMs, () => this.sweep());
  }

  start(): void {
    this.turns.start();
  }

  /** Asks for a sweep now (or right after the one in progress). */
  trigger(): void {
    this.turns.trigger();
  }

  /** Stops sweeping and waits for a sweep in progress. */
  stop(): Promise<void> {
    return this.turns.stop();
  }

  /** One pass; resolves with what it did, for tests and logs. */
  async sweep(): Promise<{ expired: number; scheduled: number }> {
    const pending = await pendingExpirations(this.db, SWEEP_BATCH);
    const now = Date.now();
    let expired = 0;
    let scheduled = 0;
    for (const order of pending) {
      if (this.turns.stopped) break;
      if (order.expiresAt.getTime() > now - LATE_MS) continue;
      // Due already: the scheduler may be down or may have lost the job. Expiring twice is
      // harmless (the row decides), so this races a firing job safely.
      if ((await expireOrder(this.db, order)) === 'expired') expired++;
    }
    for (const order of pending) {
      if (this.turns.stopped) break;
      if (order.expiresAt.getTime() <= now - LATE_MS) continue;
      try {
        await this.scheduler.schedule(order.orderId, order.expiresAt);
        scheduled++;
      } catch (error) {
        // The store is down: the rest waits for the next sweep, or for the store's return.
        logger.warn({ err: error, pending: pending.length }, 'expiry sweep could not schedule');
        break;
      }
    }
    if (expired) logger.warn({ expired }, 'expiry sweep fired expiries the scheduler had missed');
    return { expired, scheduled };
  }
}
