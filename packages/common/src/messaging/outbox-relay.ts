import type { EventBus } from '../bus/event-bus.js';
import type { Database } from '../db/database.js';
import type { EventEnvelope } from '../events/envelope.js';
import { logger } from '../observability/logger.js';
import { eventsPublished, outboxBacklog } from '../observability/metrics.js';

export interface OutboxRelayOptions {
  service: string;
  /** The safety-net poll; commits made through `afterCommit` are relayed at once. */
  pollMs?: number;
  batchSize?: number;
}

/**
 * Moves committed events from a service's outbox to the bus, oldest first, and marks them sent.
 * It runs right after each commit (`notify`), on a slow poll, and once at start for whatever a
 * crash left unsent. Rows are claimed with SKIP LOCKED so replicas never block each other; if a
 * process dies between publishing and marking, the event is published again with the same id,
 * which the bus de-duplicates and the consumers' inboxes ignore.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.notify(), this.options.pollMs ?? 1_000);
    this.timer.unref();
    this.notify();
  }

  /** Asks for a relay pass soon; passes never overlap, and a request during one runs another. */
  notify(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) =>
        logger.warn(
          { err: error, service: this.options.service },
          'outbox relay pass failed; will retry',
        ),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.notify();
        }
      });
  }

  /** Resolves when a pass has run to completion and found nothing left (tests and shutdown). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    await this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.running) await this.running;
    // A commit that landed while the last pass ran asked for another pass, which `stopped`
    // refused: relay it now, while the bus is still open, rather than at the next start.
    await this.drain().catch((error: unknown) =>
      logger.warn({ err: error, service: this.options.service }, 'outbox relay final pass failed'),
    );
  }

  private async drain(): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    for (;;) {
      const sent = await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ seq: number; envelope: EventEnvelope }>(
          `SELECT seq, envelope FROM outbox WHERE sent_at IS NULL
           ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [batchSize],
        );
        for (const row of rows) {
          await this.bus.publish(row.envelope);
          eventsPublished.inc({ service: this.options.service, subject: row.envelope.subject });
        }
        if (rows.length) {
          await tx.query('UPDATE outbox SET sent_at = now() WHERE seq = ANY($1::bigint[])', [
            rows.map((r) => r.seq),
          ]);
        }
        return rows.length;
      });
      if (sent < batchSize) break;
    }
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL',
    );
    outboxBacklog.set({ service: this.options.service }, rows[0]?.n ?? 0);
  }
}

/**
 * The same database, except that each committed transaction wakes the relay, so events leave
 * right after the commit that recorded them instead of waiting for the poll.
 */
export function notifyingRelayAfterCommit(db: Database, relay: OutboxRelay): Database {
  return {
    ...db,
    async transaction(fn) {
      const result = await db.transaction(fn);
      relay.notify();
      return result;
    },
  };
}
