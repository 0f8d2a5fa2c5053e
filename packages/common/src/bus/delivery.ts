import type { EventEmitter } from 'node:events';
import { MalformedEventError, parseEnvelope, type EventEnvelope } from '../events/envelope.js';
import { logger } from '../observability/logger.js';
import { deadLetters, redeliveries } from '../observability/metrics.js';
import { contextFrom, runInContext } from '../observability/request-context.js';
import {
  backoffFor,
  type BusEventMap,
  type DeliveryPolicy,
  type Subscription,
} from './event-bus.js';

/** What became of one delivery, for the transport to carry out (ack, redeliver, dead-letter). */
export type DeliveryOutcome =
  | { kind: 'handled'; envelope: EventEnvelope }
  | { kind: 'retry'; delayMs: number; error: unknown }
  | { kind: 'dead'; envelope?: EventEnvelope; reason: string }
  /** The bus is closing: not the message's fault; it stays pending, the policy is not applied. */
  | { kind: 'closing' };

/**
 * The delivery policy, once for both buses: parse the envelope (one that does not parse, or
 * names another subject, is malformed and goes straight to the dead letters), run the handler in
 * the trace context the event carries, count redeliveries, and decide: handled, retry after the
 * policy's backoff, or dead after `maxDeliveries`. The transports keep only what is theirs — how
 * to ack, redeliver and store a dead letter.
 *
 * `raw` is the message as the transport has it (JSON bytes or a parsed object); `around` wraps
 * the handler's run (NATS keeps the message's ack deadline alive while it runs).
 */
export async function deliverOnce(delivery: {
  subscription: Subscription;
  raw: unknown;
  deliveryCount: number;
  policy: DeliveryPolicy;
  closing: () => boolean;
  around?: (run: () => Promise<void>) => Promise<void>;
}): Promise<DeliveryOutcome> {
  const { subscription, deliveryCount, policy } = delivery;
  const { consumer, subject, handler } = subscription;
  if (deliveryCount > 1) redeliveries.inc({ consumer, subject });
  let envelope: EventEnvelope | undefined;
  try {
    const parsed = parseEnvelope(delivery.raw);
    envelope = parsed;
    if (parsed.subject !== subject) {
      throw new MalformedEventError(`envelope subject ${parsed.subject} on ${subject}`);
    }
    const run = () =>
      runInContext(contextFrom(parsed.traceparent), () => handler(parsed, { deliveryCount }));
    await (delivery.around ? delivery.around(run) : run());
    return { kind: 'handled', envelope: parsed };
  } catch (error) {
    if (delivery.closing()) return { kind: 'closing' };
    if (error instanceof MalformedEventError || deliveryCount >= policy.maxDeliveries) {
      return { kind: 'dead', envelope, reason: errorMessage(error) };
    }
    return { kind: 'retry', delayMs: backoffFor(policy, deliveryCount), error };
  }
}

/** Counts, logs and reports a message given up on, once its transport has stored it as dead. */
export function reportDeadLetter(
  bus: EventEmitter<BusEventMap>,
  fact: BusEventMap['dead-lettered'][0] & { seq?: number },
): void {
  const { seq, ...reported } = fact;
  deadLetters.inc({ consumer: fact.consumer, subject: fact.subject });
  logger.error({ ...reported, seq }, 'event dead-lettered');
  bus.emit('dead-lettered', reported);
}

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
