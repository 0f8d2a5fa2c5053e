import type { EventEmitter } from 'node:events';
import { MalformedEventError, parseEnvelope, type EventEnvelope } from '../events/envelope.js';
import { logger } from '../observability/logger.js';
import { deadLetters, redeliveries } from '../observability/metrics.js';
import { contextFrom, runInContext } from '../observability/request-context.js';
import {
  backoffFor,
  type BatchHandler,
  type BusEventMap,
  type DeliveryInfo,
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
    checkSubject(parsed, subject);
    const run = () =>
      runInContext(contextFrom(parsed.traceparent), () => handler(parsed, { deliveryCount }));
    await (delivery.around ? delivery.around(run) : run());
    return { kind: 'handled', envelope: parsed };
  } catch (error) {
    return failed(error, { envelope, deliveryCount, policy, closing: delivery.closing });
  }
}

/** A message on a subject it does not name is malformed: it can never be handled there. */
function checkSubject(envelope: EventEnvelope, subject: string): void {
  if (envelope.subject !== subject) {
    throw new MalformedEventError(`envelope subject ${envelope.subject} on ${subject}`);
  }
}

/**
 * What a failed delivery becomes: nothing while the bus closes (not the message's fault), dead
 * when malformed or out of deliveries, else a retry after the policy's backoff.
 */
function failed(
  error: unknown,
  delivery: {
    envelope: EventEnvelope | undefined;
    deliveryCount: number;
    policy: DeliveryPolicy;
    closing: () => boolean;
  },
): DeliveryOutcome {
  const { envelope, deliveryCount, policy } = delivery;
  if (delivery.closing()) return { kind: 'closing' };
  if (error instanceof MalformedEventError || deliveryCount >= policy.maxDeliveries) {
    return { kind: 'dead', envelope, reason: errorMessage(error) };
  }
  return { kind: 'retry', delayMs: backoffFor(policy, deliveryCount), error };
}

/**
 * The same policy as `deliverOnce`, for several messages of one subscription, in order: each is
 * parsed (a malformed one is dead at once), the well-formed ones go to the subscription's batch
 * handler together, and each gets its own outcome from the error (if any) the batch handler gave
 * it. Returns one outcome per item, in the items' order.
 */
export async function deliverBatch(delivery: {
  subscription: Subscription;
  batchHandler: BatchHandler;
  items: { raw: unknown; deliveryCount: number }[];
  policy: DeliveryPolicy;
  closing: () => boolean;
}): Promise<DeliveryOutcome[]> {
  const { subscription, batchHandler, items, policy, closing } = delivery;
  const { consumer, subject } = subscription;
  const outcomes: (DeliveryOutcome | undefined)[] = items.map(() => undefined);
  const wellFormed: { at: number; envelope: EventEnvelope; info: DeliveryInfo }[] = [];
  items.forEach(({ raw, deliveryCount }, at) => {
    if (deliveryCount > 1) redeliveries.inc({ consumer, subject });
    let envelope: EventEnvelope | undefined;
    try {
      envelope = parseEnvelope(raw);
      checkSubject(envelope, subject);
      wellFormed.push({ at, envelope, info: { deliveryCount } });
    } catch (error) {
      outcomes[at] = failed(error, { envelope, deliveryCount, policy, closing });
    }
  });
  const errors = await batchHandler(wellFormed).catch((error: unknown) =>
    wellFormed.map(() => error ?? new Error('batch failed')),
  );
  wellFormed.forEach(({ at, envelope, info }, i) => {
    const error = errors[i];
    outcomes[at] =
      error === undefined
        ? { kind: 'handled', envelope }
        : failed(error, { envelope, deliveryCount: info.deliveryCount, policy, closing });
  });
  return outcomes.map((outcome) => outcome ?? { kind: 'closing' });
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
