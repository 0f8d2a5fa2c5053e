import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { currentTraceparent } from '../observability/request-context.js';
import { eventSchemas, type EventData } from './schemas.js';
import { allSubjects, type Subject } from './subjects.js';

/** What travels on the bus: the payload wrapped with its identity, time and trace context. */
export interface EventEnvelope<S extends Subject = Subject> {
  /** Unique per event; the bus de-duplicates on it and consumers' inboxes remember it. */
  id: string;
  subject: S;
  occurredAt: string;
  data: EventData<S>;
  /** W3C trace context of the request that caused the event. */
  traceparent: string;
}

export function createEnvelope<S extends Subject>(
  subject: S,
  data: EventData<S>,
): EventEnvelope<S> {
  return {
    id: randomUUID(),
    subject,
    occurredAt: new Date().toISOString(),
    data,
    traceparent: currentTraceparent(),
  };
}

/** The envelope's own shape; the payload is checked against its subject's schema separately. */
const envelopeSchema = z.object({
  id: z.string().uuid(),
  subject: z.enum(allSubjects as [Subject, ...Subject[]]),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.unknown(),
  traceparent: z.string(),
});

/** Raised for a message that can never be handled, however often it is delivered. */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

/** Parses raw bytes or JSON from the bus into a fully validated envelope, or throws MalformedEventError. */
export function parseEnvelope(raw: unknown): EventEnvelope {
  let value = raw;
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw));
    } catch {
      throw new MalformedEventError('message is not JSON');
    }
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) {
    throw new MalformedEventError(`bad envelope: ${z.prettifyError(envelope.error)}`);
  }
  const data = eventSchemas[envelope.data.subject].safeParse(envelope.data.data);
  if (!data.success) {
    throw new MalformedEventError(
      `bad ${envelope.data.subject} payload: ${z.prettifyError(data.error)}`,
    );
  }
  return { ...envelope.data, data: data.data } as EventEnvelope;
}
