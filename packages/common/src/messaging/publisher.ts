import type { Queryable } from '../db/database.js';
import { createEnvelope, type EventEnvelope } from '../events/envelope.js';
import { eventSchemas, type EventData } from '../events/schemas.js';
import type { Subject } from '../events/subjects.js';

/**
 * The start of every statement that writes to the outbox. The relay-waking database handle
 * (`notifyingRelayAfterCommit`) looks for it to know a commit recorded events; a statement that
 * inserts outbox rows another way would be relayed only at the next poll.
 */
export const OUTBOX_INSERT = 'INSERT INTO outbox (id, subject, envelope)';

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
    const envelope = this.envelope(data);
    await tx.query(`${OUTBOX_INSERT} VALUES ($1, $2, $3::jsonb)`, outboxParams(envelope));
    return envelope;
  }

  /**
   * The checked envelope without writing it, for a statement that inserts its outbox row
   * together with the change (`${OUTBOX_INSERT} VALUES ($n, $n+1, $n+2::jsonb)` in a CTE, with
   * `outboxParams(envelope)`). Checked here, so a bad event fails the request that made it, not
   * a consumer later.
   */
  envelope(data: EventData<S>): EventEnvelope<S> {
    return createEnvelope(this.subject, eventSchemas[this.subject].parse(data) as EventData<S>);
  }
}

/** The three parameters of an outbox row, in `OUTBOX_INSERT`'s column order. */
export const outboxParams = (envelope: EventEnvelope): [string, string, string] => [
  envelope.id,
  envelope.subject,
  JSON.stringify(envelope),
];
