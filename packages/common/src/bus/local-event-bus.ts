import { EventEmitter } from 'node:events';
import type { Database } from '../db/database.js';
import { GroupCommit } from '../db/group-commit.js';
import { migrate } from '../db/migrate.js';
import { deliverBatch, deliverOnce, reportDeadLetter, type DeliveryOutcome } from './delivery.js';
import type { EventEnvelope } from '../events/envelope.js';
import { logger } from '../observability/logger.js';
import { messagingTableRows } from '../observability/metrics.js';
import {
  defaultDeliveryPolicy,
  type BusEventMap,
  type DeliveryPolicy,
  type EventBus,
  type Subscription,
} from './event-bus.js';

const busMigrations = [
  {
    id: '001_local_bus',
    sql: `
      CREATE TABLE bus_messages (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        subject text NOT NULL,
        envelope jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX bus_messages_subject ON bus_messages (subject, seq);
      -- A row per consumer and message once the consumer is done with it: acked or dead.
      CREATE TABLE bus_deliveries (
        consumer text NOT NULL,
        seq bigint NOT NULL REFERENCES bus_messages (seq),
        outcome text NOT NULL CHECK (outcome IN ('acked', 'dead')),
        reason text,
        deliveries int NOT NULL,
        done_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, seq)
      );`,
  },
];

interface Pending {
  seq: number;
  raw: unknown;
  deliveries: number;
}

/**
 * The embedded mode's bus: an in-process JetStream look-alike whose log lives in an embedded
 * database. A message is done only when every consumer of its subject has acked it (or given up
 * on it), so a crash of the whole process loses nothing: after a restart each consumer is handed
 * again whatever it had not finished.
 */
export class LocalEventBus extends EventEmitter<BusEventMap> implements EventBus {
  private readonly workers = new Map<string, ConsumerWorker>();
  /** Acks and dead letters, by group commit (see `writeAcks`). */
  private readonly acks: GroupCommit<Ack>;
  /** Published messages, by group commit: a relay's batch is one INSERT. */
  private readonly inserts: GroupCommit<EventEnvelope, number | undefined>;
  private closed = false;

  private constructor(
    private readonly db: Database,
    private readonly policy: DeliveryPolicy,
  ) {
    super();
    this.acks = new GroupCommit((acks) => writeAcks(db, acks), MAX_ROWS_PER_STATEMENT);
    this.inserts = new GroupCommit(
      (envelopes) => insertMessages(db, envelopes),
      MAX_ROWS_PER_STATEMENT,
    );
  }

  static async open(
    db: Database,
    policy: DeliveryPolicy = defaultDeliveryPolicy,
  ): Promise<LocalEventBus> {
    await migrate(db, busMigrations);
    return new LocalEventBus(db, policy);
  }

  async publish(envelope: EventEnvelope): Promise<void> {
    if (this.closed) throw new Error('bus is closed');
    const seq = await this.inserts.write(envelope);
    if (seq === undefined) return; // a duplicate: stored and dispatched the first time
    const raw = JSON.parse(JSON.stringify(envelope)) as unknown;
    for (const worker of this.workers.values()) {
      if (worker.subject === envelope.subject) worker.push({ seq, raw, deliveries: 0 });
    }
    this.emit('published', envelope);
  }

  async subscribe(subscription: Subscription): Promise<void> {
    const key = `${subscription.consumer}\u0000${subscription.subject}`;
    if (this.workers.has(key)) {
      throw new Error(`${subscription.consumer} already consumes ${subscription.subject}`);
    }
    const worker = new ConsumerWorker(subscription, this.acks, this.policy, this);
    this.workers.set(key, worker);
    const { rows } = await this.db.query<{ seq: number; envelope: unknown }>(
      `SELECT m.seq, m.envelope FROM bus_messages m
       WHERE m.subject = $1
         AND NOT EXISTS (SELECT 1 FROM bus_deliveries d WHERE d.consumer = $2 AND d.seq = m.seq)
       ORDER BY m.seq`,
      [subscription.subject, subscription.consumer],
    );
    worker.startWith(rows.map((row) => ({ seq: row.seq, raw: row.envelope, deliveries: 0 })));
  }

  async ping(): Promise<void> {
    await this.db.ping();
  }

  /**
   * Deletes the messages published more than `olderThanHours` ago that every consumer now
   * subscribed to their subject has finished (acked or dead-lettered), with their delivery
   * rows; in batches, so a long backlog never holds long locks. A message someone subscribed
   * has not finished stays, however old. Returns how many messages went, and reports the tables'
   * sizes as `messaging_table_rows{service="bus"}`.
   */
  async sweep(olderThanHours: number): Promise<number> {
    const pairs = [...this.workers.values()].map((w) => w.consumerOf);
    const subjects = pairs.map((p) => p.subject);
    const consumers = pairs.map((p) => p.consumer);
    let total = 0;
    for (;;) {
      // One statement: the data-modifying CTE removes the delivery rows, the outer DELETE their
      // messages; the foreign key is checked at the end of the statement, when both are gone.
      const { rowCount } = await this.db.query(
        `WITH consumers AS (
           SELECT * FROM unnest($2::text[], $3::text[]) AS c (subject, consumer)
         ), finished AS (
           SELECT m.seq FROM bus_messages m
           WHERE m.published_at < now() - make_interval(hours => $1)
             AND NOT EXISTS (
               SELECT 1 FROM consumers c
               WHERE c.subject = m.subject
                 AND NOT EXISTS (
                   SELECT 1 FROM bus_deliveries d WHERE d.consumer = c.consumer AND d.seq = m.seq))
           ORDER BY m.seq LIMIT ${SWEEP_BATCH}
         ), deliveries AS (
           DELETE FROM bus_deliveries d USING finished f WHERE d.seq = f.seq
         )
         DELETE FROM bus_messages m USING finished f WHERE m.seq = f.seq`,
        [olderThanHours, subjects, consumers],
      );
      total += rowCount;
      if (rowCount < SWEEP_BATCH) break;
    }
    const { rows } = await this.db.query<{ messages: number; deliveries: number }>(
      `SELECT (SELECT count(*)::int FROM bus_messages) AS messages,
              (SELECT count(*)::int FROM bus_deliveries) AS deliveries`,
    );
    messagingTableRows.set({ service: 'bus', table: 'bus_messages' }, rows[0]!.messages);
    messagingTableRows.set({ service: 'bus', table: 'bus_deliveries' }, rows[0]!.deliveries);
    return total;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
  }
}

/**
 * Delivers one consumer's messages in order, a batch at a time; a message waiting to be retried
 * blocks none.
 */
class ConsumerWorker {
  private readonly queue: Pending[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly subscription: Subscription,
    private readonly acks: GroupCommit<Ack>,
    private readonly policy: DeliveryPolicy,
    private readonly bus: LocalEventBus,
  ) {}

  get subject(): string {
    return this.subscription.subject;
  }

  get consumerOf(): { subject: string; consumer: string } {
    return { subject: this.subscription.subject, consumer: this.subscription.consumer };
  }

  /** Messages published while the backlog was being read; they go after it, once each. */
  private publishedDuringBacklogRead: Pending[] | undefined = [];

  /** Delivers the backlog first, then whatever was published meanwhile and is not in it. */
  startWith(backlog: Pending[]): void {
    const inBacklog = new Set(backlog.map((item) => item.seq));
    const duringRead = this.publishedDuringBacklogRead ?? [];
    this.publishedDuringBacklogRead = undefined;
    for (const item of [...backlog, ...duringRead.filter((item) => !inBacklog.has(item.seq))]) {
      this.push(item);
    }
  }

  push(item: Pending): void {
    if (this.stopped) return;
    if (this.publishedDuringBacklogRead) {
      this.publishedDuringBacklogRead.push(item);
      return;
    }
    this.queue.push(item);
    this.drainUnlessDraining();
  }

  /** Starts draining unless a drain runs; restarts for items that came as the last one ended. */
  private drainUnlessDraining(): void {
    // Restarting without re-pushing keeps the queue's order (re-pushing the head moved it last).
    // The drain starts on the next turn, so that whatever else arrives in this one (a backlog,
    // a group-committed batch of publishes) makes the same batch.
    this.running ??= new Promise((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.running = undefined;
        if (this.queue.length && !this.stopped) this.drainUnlessDraining();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.running;
  }

  /**
   * Delivers the queue in order, in batches of what has piled up (at most `MAX_BATCH`): a
   * subscription with a batch handler takes a batch in one transaction of its own, so a burst
   * costs a consumer a transaction per batch rather than per message.
   */
  private async drain(): Promise<void> {
    while (this.queue.length && !this.stopped) {
      const batch = this.queue.splice(0, MAX_BATCH);
      // A failure here is the bus's own (its database went away): the messages stay pending
      // in the log and are delivered again on the next start.
      await this.deliver(batch).catch((error: unknown) =>
        logger.error(
          { err: error, consumer: this.subscription.consumer },
          'local bus delivery failed',
        ),
      );
    }
    // Stopped with messages queued: they stay pending in the log for the next start.
  }

  private async deliver(batch: Pending[]): Promise<void> {
    const { batchHandler } = this.subscription;
    if (!batchHandler || batch.length === 1) {
      // One at a time, each acked as soon as it is handled.
      for (const item of batch) {
        if (this.stopped) return;
        item.deliveries += 1;
        const outcome = await deliverOnce({
          subscription: this.subscription,
          raw: item.raw,
          deliveryCount: item.deliveries,
          policy: this.policy,
          closing: () => this.stopped,
        });
        await this.settle(item, outcome);
      }
      return;
    }
    for (const item of batch) item.deliveries += 1;
    const outcomes = await deliverBatch({
      batchHandler,
      subscription: this.subscription,
      items: batch.map((item) => ({ raw: item.raw, deliveryCount: item.deliveries })),
      policy: this.policy,
      // Shutting down: the message stays pending in the log for the next start.
      closing: () => this.stopped,
    });
    // The acks of a batch are asked for together, so they share one statement.
    await Promise.all(batch.map((item, i) => this.settle(item, outcomes[i]!)));
  }

  /** Carries out one message's outcome: ack, dead-letter, or a redelivery after the backoff. */
  private async settle(item: Pending, outcome: DeliveryOutcome): Promise<void> {
    const { consumer, subject } = this.subscription;
    switch (outcome.kind) {
      case 'closing':
        return;
      case 'dead':
        await this.finish(item, 'dead', outcome.reason);
        reportDeadLetter(this.bus, {
          consumer,
          subject,
          eventId: outcome.envelope?.id,
          deliveryCount: item.deliveries,
          reason: outcome.reason,
          seq: item.seq,
        });
        return;
      case 'retry': {
        this.bus.emit('nacked', {
          consumer,
          subject,
          deliveryCount: item.deliveries,
          error: outcome.error,
        });
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.push(item);
        }, outcome.delayMs);
        this.timers.add(timer);
        return;
      }
      case 'handled':
        await this.finish(item, 'acked', null);
        this.bus.emit('acked', {
          consumer,
          envelope: outcome.envelope,
          deliveryCount: item.deliveries,
        });
    }
  }

  private finish(item: Pending, outcome: 'acked' | 'dead', reason: string | null) {
    return this.acks.write({
      consumer: this.subscription.consumer,
      seq: item.seq,
      outcome,
      reason,
      deliveries: item.deliveries,
    });
  }
}

interface Ack {
  consumer: string;
  seq: number;
  outcome: 'acked' | 'dead';
  reason: string | null;
  deliveries: number;
}

/**
 * Stores messages in one INSERT, in the order given (their `seq` follows it), and returns each
 * one's seq, or undefined for an id stored before (or earlier in the same batch): publishing an
 * id twice stores and dispatches it once.
 */
async function insertMessages(
  db: Database,
  envelopes: EventEnvelope[],
): Promise<(number | undefined)[]> {
  const { rows } = await db.query<{ id: string; seq: number }>(
    `INSERT INTO bus_messages (id, subject, envelope)
     SELECT id, subject, envelope::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS m (id, subject, envelope, n)
     ORDER BY n
     ON CONFLICT (id) DO NOTHING RETURNING id, seq`,
    [
      envelopes.map((e) => e.id),
      envelopes.map((e) => e.subject),
      envelopes.map((e) => JSON.stringify(e)),
    ],
  );
  const seqs = new Map(rows.map((row) => [row.id, Number(row.seq)]));
  return envelopes.map((e) => {
    const seq = seqs.get(e.id);
    seqs.delete(e.id); // a second copy in the same batch is a duplicate
    return seq;
  });
}

/**
 * Records consumers' acks (and dead letters) in one INSERT. Through GroupCommit, the consumers
 * of one event (four for `order:created`) and the messages of a batch cost one statement, and a
 * message is never reported acked before its ack is durable; a crash before that redelivers it,
 * which the listeners' inbox absorbs.
 */
async function writeAcks(db: Database, acks: Ack[]): Promise<void[]> {
  await db.query(
    `INSERT INTO bus_deliveries (consumer, seq, outcome, reason, deliveries)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::int[])
     ON CONFLICT DO NOTHING`,
    [
      acks.map((a) => a.consumer),
      acks.map((a) => a.seq),
      acks.map((a) => a.outcome),
      acks.map((a) => a.reason),
      acks.map((a) => a.deliveries),
    ],
  );
  return acks.map(() => undefined);
}

/** Messages handed to a consumer's batch handler at once, at most. */
const MAX_BATCH = 50;

/** Messages deleted per sweep statement. */
const SWEEP_BATCH = 5_000;

/** Bounds one statement's parameters (arrays of this length). */
const MAX_ROWS_PER_STATEMENT = 500;
