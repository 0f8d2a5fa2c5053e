import { z } from 'zod';
import { envVar } from '../config/config.js';
import type { Database } from '../db/database.js';
import { logger } from '../observability/logger.js';
import { messagingTableRows } from '../observability/metrics.js';

/**
 * How long the messaging tables keep rows that have done their work, in hours.
 *
 * - `outboxHours`: a sent outbox row is only history (the bus has the event); kept a day for
 *   whoever investigates an incident.
 * - `inboxHours`: an inbox row is what makes a redelivered event harmless, so it must outlive
 *   every redelivery of that event. JetStream redelivers within `ack_wait` × `max_deliver`
 *   (minutes, `bus/nats-event-bus.ts`), the local bus within its backoff; a week is far beyond.
 * - `busHours` (embedded mode): a local-bus message every current consumer has finished.
 */
export interface RetentionPolicy {
  outboxHours: number;
  inboxHours: number;
  busHours: number;
  /** Between sweeps, in ms; the first runs one interval after start. */
  intervalMs: number;
}

export const defaultRetention: RetentionPolicy = {
  outboxHours: 24,
  inboxHours: 168,
  busHours: 24,
  intervalMs: 3_600_000,
};

/** The environment's say on retention, read by both hosts (standalone and embedded). */
export const retentionSettings = {
  OUTBOX_RETENTION_HOURS: envVar
    .positiveInt(defaultRetention.outboxHours)
    .describe('hours a sent outbox row is kept'),
  INBOX_RETENTION_HOURS: envVar
    .positiveInt(defaultRetention.inboxHours)
    .describe('hours an inbox row is kept (longer than any redelivery)'),
  BUS_RETENTION_HOURS: envVar
    .positiveInt(defaultRetention.busHours)
    .describe('hours a local-bus message every consumer finished is kept (embedded mode)'),
};

/**
 * A RetentionPolicy from settings parsed with `retentionSettings` (the standalone services have
 * no local bus, so no `BUS_RETENTION_HOURS`).
 */
export function retentionFrom(
  config: Omit<Settings, 'BUS_RETENTION_HOURS'> & Partial<Settings>,
): RetentionPolicy {
  return {
    ...defaultRetention,
    outboxHours: config.OUTBOX_RETENTION_HOURS,
    inboxHours: config.INBOX_RETENTION_HOURS,
    busHours: config.BUS_RETENTION_HOURS ?? defaultRetention.busHours,
  };
}

type Settings = z.infer<z.ZodObject<typeof retentionSettings>>;

/** Rows deleted per statement: short statements, short locks, however large the backlog. */
const BATCH = 5_000;

/**
 * Deletes what a service's outbox and inbox no longer need (see RetentionPolicy), in batches,
 * every `intervalMs`, and reports both tables' sizes as `messaging_table_rows`. Replicas may
 * sweep at the same time: a row deleted twice is deleted once.
 */
export class RetentionSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Database,
    private readonly service: string,
    private readonly policy: RetentionPolicy,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error: unknown) => logger.warn({ err: error, service: this.service }, 'sweep'))
        .finally(() => (this.running = undefined));
    }, this.policy.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep now: `{outbox, inbox}` = rows deleted from each. */
  async sweep(): Promise<{ outbox: number; inbox: number }> {
    // The outbox is in `seq` order and sent rows are old ones: the primary key finds them.
    const outbox = await deleteInBatches(
      this.db,
      `DELETE FROM outbox WHERE seq IN (
         SELECT seq FROM outbox
         WHERE sent_at < now() - make_interval(hours => $1) ORDER BY seq LIMIT ${BATCH})`,
      [this.policy.outboxHours],
    );
    const inbox = await deleteInBatches(
      this.db,
      `DELETE FROM inbox WHERE ctid IN (
         SELECT ctid FROM inbox WHERE handled_at < now() - make_interval(hours => $1) LIMIT ${BATCH})`,
      [this.policy.inboxHours],
    );
    const { rows } = await this.db.query<{ outbox: number; inbox: number }>(
      `SELECT (SELECT count(*)::int FROM outbox) AS outbox, (SELECT count(*)::int FROM inbox) AS inbox`,
    );
    messagingTableRows.set({ service: this.service, table: 'outbox' }, rows[0]!.outbox);
    messagingTableRows.set({ service: this.service, table: 'inbox' }, rows[0]!.inbox);
    if (outbox + inbox > 0) {
      logger.info({ service: this.service, outbox, inbox }, 'messaging tables swept');
    }
    return { outbox, inbox };
  }
}

/** Runs a batched DELETE until it deletes fewer than a batch; returns how many rows went. */
export async function deleteInBatches(
  db: Database,
  sql: string,
  params: unknown[],
): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await db.query(sql, params);
    total += rowCount;
    if (rowCount < BATCH) return total;
  }
}
