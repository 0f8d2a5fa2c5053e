import type { EventBus } from '../bus/event-bus.js';
import type { Database, Queryable } from '../db/database.js';
import type { EventEnvelope } from '../events/envelope.js';
import { logger } from '../observability/logger.js';
import { eventsPublished, outboxBacklog } from '../observability/metrics.js';
import { OUTBOX_INSERT } from './publisher.js';

export interface OutboxRelayOptions {
  service: string;
  /** The safety-net poll; commits made through `afterCommit` are relayed at once. */
  pollMs?: number;
  batchSize?: number;
  /**
   * How long a claimed batch is left to its relay before another may claim it again (a relay
   * that died after claiming). Longer than a batch's publishing ever takes.
   */
  leaseMs?: number;
}

interface ClaimedRow {
  seq: number;
  envelope: EventEnvelope;
}

/**
 * Moves committed events from a service's outbox to the bus and marks them sent. It runs right
 * after each commit that recorded events (`notify`), on a slow poll, and once at start for
 * whatever a crash left unsent.
 *
 * A pass claims a batch in one statement (a lease in `claimed_until`, taken with SKIP LOCKED so
 * replicas never claim the same rows), publishes it with no transaction open — the bus is
 * another system, and a transaction held across it would pin a connection and its locks for as
 * long as the bus takes — then marks it sent in one statement. Events of one entity (same
 * `data.id`) are published one after another, in outbox order; different entities concurrently.
 * If the process dies between publishing and marking, the lease lapses and the event is
 * published again with the same id, which the bus de-duplicates and the consumers' inboxes
 * ignore: at least once, never lost.
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
    this.timer = setInterval(() => this.poll(), this.options.pollMs ?? 1_000);
    this.timer.unref();
    this.notify();
    this.wakeWhenClaimsLapse().catch(() => undefined); // the poll is the safety net
  }

  /**
   * Rows a dead relay claimed stay leased until their lease lapses: a restart cannot tell a dead
   * claim from a live replica's. Rather than wait for the poll after that, pass again right then.
   */
  private async wakeWhenClaimsLapse(): Promise<void> {
    const { rows } = await this.db.query<{ ms: number | null }>(
      `SELECT ceil(extract(epoch FROM min(claimed_until) - now()) * 1000)::int AS ms
       FROM outbox WHERE sent_at IS NULL AND claimed_until >= now()`,
    );
    const ms = rows[0]?.ms;
    if (ms !== null && ms !== undefined) setTimeout(() => this.notify(), ms + 10).unref();
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

  /** The poll: a pass for anything a missed notification left, and the backlog gauge. */
  private poll(): void {
    this.notify();
    this.db
      .query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL')
      .then(({ rows }) => outboxBacklog.set({ service: this.options.service }, rows[0]?.n ?? 0))
      .catch(() => undefined); // only a gauge; the pass logs database trouble
  }

  private async drain(): Promise<void> {
    const batchSize = this.options.batchSize ?? 100;
    for (;;) {
      const claimed = await this.claim(batchSize);
      if (!claimed.length) return;
      const published = await this.publishAll(claimed);
      // One statement: what was published is sent; what was not is released for the next pass.
      await this.db.query(
        `UPDATE outbox SET claimed_until = NULL,
                sent_at = CASE WHEN seq = ANY($1::bigint[]) THEN now() END
         WHERE seq = ANY($2::bigint[])`,
        [published, claimed.map((r) => r.seq)],
      );
      if (published.length < claimed.length) {
        throw new Error(`${claimed.length - published.length} events could not be published`);
      }
      if (claimed.length < batchSize) return;
    }
  }

  private async claim(batchSize: number): Promise<ClaimedRow[]> {
    const { rows } = await this.db.query<ClaimedRow>(
      `UPDATE outbox SET claimed_until = now() + $2 * interval '1 millisecond'
       WHERE seq IN (
         SELECT seq FROM outbox
         WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
         ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING seq, envelope`,
      [batchSize, this.options.leaseMs ?? 15_000],
    );
    return rows.sort((a, b) => a.seq - b.seq);
  }

  /** Publishes each entity's events in order, entities concurrently; returns the seqs sent. */
  private async publishAll(rows: ClaimedRow[]): Promise<number[]> {
    const byEntity = new Map<string, ClaimedRow[]>();
    for (const row of rows) {
      const key = entityOf(row.envelope);
      byEntity.set(key, [...(byEntity.get(key) ?? []), row]);
    }
    const published: number[] = [];
    await Promise.all(
      [...byEntity.values()].map(async (chain) => {
        for (const row of chain) {
          try {
            await this.bus.publish(row.envelope);
          } catch (error) {
            // The rest of this entity's chain waits too, so its events never overtake this one.
            logger.warn(
              { err: error, service: this.options.service, subject: row.envelope.subject },
              'publishing an outbox event failed; it will be retried',
            );
            return;
          }
          published.push(row.seq);
          eventsPublished.inc({ service: this.options.service, subject: row.envelope.subject });
        }
      }),
    );
    return published;
  }
}

/** Events about one entity share its id in `data.id`; events without one are independent. */
function entityOf(envelope: EventEnvelope): string {
  const data = envelope.data as { id?: unknown };
  return typeof data.id === 'string' ? `${envelope.subject.split(':')[0]}:${data.id}` : envelope.id;
}

/**
 * The same database, except that each commit that recorded events (a statement starting with
 * `OUTBOX_INSERT`, in a transaction or on its own) wakes the relay, so events leave right after
 * the commit that recorded them instead of waiting for the poll.
 */
export function notifyingRelayAfterCommit(db: Database, relay: OutboxRelay): Database {
  const writesOutbox = (sql: string) => sql.includes(OUTBOX_INSERT);
  return {
    ...db,
    async query<R>(sql: string, params?: unknown[]) {
      const result = await db.query<R>(sql, params);
      if (writesOutbox(sql)) relay.notify();
      return result;
    },
    async transaction(fn) {
      let recorded = false;
      const result = await db.transaction((tx) =>
        fn({
          query<R>(sql: string, params?: unknown[]) {
            if (writesOutbox(sql)) recorded = true;
            return tx.query<R>(sql, params);
          },
          exec: (sql) => tx.exec(sql),
        } satisfies Queryable),
      );
      if (recorded) relay.notify();
      return result;
    },
  };
}
