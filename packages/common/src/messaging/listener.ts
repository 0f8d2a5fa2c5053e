import type { EventBus } from '../bus/event-bus.js';
import type { Database, Queryable } from '../db/database.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { EventData } from '../events/schemas.js';
import type { Subject } from '../events/subjects.js';
import { eventsHandled } from '../observability/metrics.js';

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
    const applied = await this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        'INSERT INTO inbox (event_id, subject) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [envelope.id, envelope.subject],
      );
      if (rowCount === 0) return false;
      await this.onMessage(envelope.data, tx, envelope);
      return true;
    });
    if (applied) eventsHandled.inc({ consumer: this.consumer, subject: this.subject });
    await this.afterCommit(envelope.data, { envelope, applied });
    return applied;
  }
}
