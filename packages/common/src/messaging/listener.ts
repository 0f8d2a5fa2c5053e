import type { EventBus } from '../bus/event-bus.js';
import type { Database, Queryable } from '../db/database.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { EventData } from '../events/schemas.js';
import type { Subject } from '../events/subjects.js';
import { eventsHandled } from '../observability/metrics.js';
import { contextFrom, runInContext } from '../observability/request-context.js';

/**
 * Thrown by a listener whose event arrived ahead of its predecessor (version N without N-1):
 * nothing is applied, the event stays unacknowledged and comes back later.
 */
export class OutOfOrderError extends Error {
  override readonly name = 'OutOfOrderError';
}

/**
 * Consumes one subject for one service. The effect and the inbox row that remembers the event id
 * commit in one transaction, so a redelivered event is acknowledged with no second effect.
 *
 *   export class TicketCreatedListener extends Listener<typeof Subjects.TicketCreated> {
 *     readonly subject = Subjects.TicketCreated;
 *     async onMessage(data, tx) { await tickets.insert(tx, data); }
 *   }
 *
 * What must happen outside the transaction, after it committed, goes in `afterCommit`.
 */
export abstract class Listener<S extends Subject> {
  abstract readonly subject: S;

  constructor(
    protected readonly db: Database,
    /** The consuming service's name: its durable consumer on the bus. */
    readonly consumer: string,
  ) {}

  /** Applies the event. Throw to have it redelivered; OutOfOrderError when it came too early. */
  abstract onMessage(data: EventData<S>, tx: Queryable, envelope: EventEnvelope<S>): Promise<void>;

  listen(bus: EventBus): Promise<void> {
    return bus.subscribe({
      consumer: this.consumer,
      subject: this.subject,
      handler: async (envelope) => {
        await this.handle(envelope as EventEnvelope<S>);
      },
      batchHandler: (deliveries) =>
        this.handleBatch(deliveries.map((d) => d.envelope as EventEnvelope<S>)),
    });
  }

  /**
   * The step after the commit: calls to the world outside the database (a payment provider, a
   * scheduler, waking a worker), which must never run inside the transaction. Called once the
   * delivery's transaction has committed: on the first delivery (`applied`: true) and on every
   * redelivery of an event already handled (`applied`: false), so it must be idempotent; never
   * when the transaction rolled back. Throw to leave the event unacknowledged (it comes back,
   * and this step runs again). Does nothing unless a listener overrides it.
   */
  protected async afterCommit(
    _data: EventData<S>,
    _delivery: { envelope: EventEnvelope<S>; applied: boolean },
  ): Promise<void> {}

  /**
   * Handles one delivery: the inbox row and `onMessage` in one transaction, then `afterCommit`.
   * Returns false when the event had already been handled. Listeners override the two steps,
   * never this.
   */
  async handle(envelope: EventEnvelope<S>): Promise<boolean> {
    const applied = await this.db.transaction((tx) => this.apply(tx, envelope));
    if (applied) eventsHandled.inc({ consumer: this.consumer, subject: this.subject });
    await this.afterCommit(envelope.data, { envelope, applied });
    return applied;
  }

  /**
   * Handles several deliveries, in order, in one transaction: each event's inbox row and
   * `onMessage`, one commit, then every `afterCommit` (concurrently: they concern different
   * events). If any event fails inside the transaction, or the commit does, the whole
   * transaction rolls back and each event is handled alone (`handle`), so only the failing ones
   * are retried. Resolves with one entry per event: undefined when handled, else its error.
   *
   * Why: under a burst the bus hands a consumer its backlog at once; a transaction per batch
   * instead of per event is what keeps a reservation's cost across the services low.
   */
  async handleBatch(envelopes: EventEnvelope<S>[]): Promise<unknown[]> {
    const inContextOf = <T>(envelope: EventEnvelope<S>, fn: () => Promise<T>) =>
      runInContext(contextFrom(envelope.traceparent), fn);
    const failure = (error: unknown) => error ?? new Error('delivery failed');
    let applied: boolean[];
    try {
      applied = await this.db.transaction(async (tx) => {
        const done: boolean[] = [];
        for (const envelope of envelopes) {
          done.push(await inContextOf(envelope, () => this.apply(tx, envelope)));
        }
        return done;
      });
    } catch {
      const errors: unknown[] = [];
      for (const envelope of envelopes) {
        errors.push(
          await inContextOf(envelope, () => this.handle(envelope)).then(() => undefined, failure),
        );
      }
      return errors;
    }
    const handled = applied.filter(Boolean).length;
    if (handled) eventsHandled.inc({ consumer: this.consumer, subject: this.subject }, handled);
    return Promise.all(
      envelopes.map((envelope, i) =>
        inContextOf(envelope, () =>
          this.afterCommit(envelope.data, { envelope, applied: applied[i]! }),
        ).then(() => undefined, failure),
      ),
    );
  }

  /** The inbox row, then the effect unless the row was there: false for an event seen before. */
  private async apply(tx: Queryable, envelope: EventEnvelope<S>): Promise<boolean> {
    const { rowCount } = await tx.query(
      'INSERT INTO inbox (event_id, subject) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [envelope.id, envelope.subject],
    );
    if (rowCount === 0) return false;
    await this.onMessage(envelope.data, tx, envelope);
    return true;
  }
}
