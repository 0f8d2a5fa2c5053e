import type { Queryable } from '../db/database.js';
import { createEnvelope, type EventEnvelope } from '../events/envelope.js';
import { eventSchemas, type EventData } from '../events/schemas.js';
import type { Subject } from '../events/subjects.js';

/**
 * Publishes by writing to the outbox inside the caller's transaction: the event exists if and
 * only if the change that caused it committed. The relay sends it to the bus afterwards.
 *
 *   export class UserCreatedPublisher extends Publisher<typeof Subjects.UserCreated> {
 *     readonly subject = Subjects.UserCreated;
 *   }
 */
export abstract class Publisher<S extends Subject> {
  abstract readonly subject: S;

  async publish(tx: Queryable, data: EventData<S>): Promise<EventEnvelope<S>> {
    // Checked here too, so a bad event fails the request that made it, not a consumer later.
    const checked = eventSchemas[this.subject].parse(data) as EventData<S>;
    const envelope = createEnvelope(this.subject, checked);
    await tx.query('INSERT INTO outbox (id, subject, envelope) VALUES ($1, $2, $3::jsonb)', [
      envelope.id,
      envelope.subject,
      JSON.stringify(envelope),
    ]);
    return envelope;
  }
}
