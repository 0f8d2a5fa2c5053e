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

  /** Handles one delivery; returns false when the event had already been handled. */
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
    return applied;
  }
}
