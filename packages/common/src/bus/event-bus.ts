import { EventEmitter } from 'node:events';
import type { EventEnvelope } from '../events/envelope.js';
import type { Subject } from '../events/subjects.js';

export interface DeliveryInfo {
  /** 1 on the first delivery to this consumer, 2 on the first redelivery, and so on. */
  deliveryCount: number;
}

/** Handles one delivery. Returning acknowledges it; throwing asks for a redelivery later. */
export type EventHandler = (envelope: EventEnvelope, info: DeliveryInfo) => Promise<void>;

/**
 * Handles several deliveries of one subscription at once, in order (a bus that has a backlog
 * may hand it over in one go). Resolves with one entry per delivery: `undefined` when it was
 * handled, or the error that failed it, which the delivery policy then treats exactly as a
 * throw from `handler` for that delivery alone. Rejecting fails every delivery of the batch.
 */
export type BatchHandler = (
  deliveries: { envelope: EventEnvelope; info: DeliveryInfo }[],
) => Promise<unknown[]>;

export interface Subscription {
  /**
   * The durable consumer: one per service. Every consumer gets each message of its subject;
   * replicas of a service share the consumer and so share the work.
   */
  consumer: string;
  subject: Subject;
  handler: EventHandler;
  /** Optional: several deliveries at once. A bus may use it; `handler` must still work alone. */
  batchHandler?: BatchHandler;
}

/** How a consumer that fails is retried, then given up on. */
export interface DeliveryPolicy {
  /** Deliveries before the message goes to the dead-letter subject. */
  maxDeliveries: number;
  /** Delay before redelivery N+1 after failed delivery N (the last value repeats). */
  backoffMs: number[];
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxDeliveries: 8,
  backoffMs: [100, 500, 1_000, 2_000, 5_000, 10_000, 30_000],
};

export const backoffFor = (policy: DeliveryPolicy, deliveryCount: number): number =>
  policy.backoffMs[Math.min(deliveryCount - 1, policy.backoffMs.length - 1)] ?? 1_000;

/** Facts a bus reports, so tests and metrics can wait for them instead of sleeping. */
export interface BusEventMap {
  published: [envelope: EventEnvelope];
  acked: [fact: { consumer: string; envelope: EventEnvelope; deliveryCount: number }];
  nacked: [fact: { consumer: string; subject: string; deliveryCount: number; error: unknown }];
  'dead-lettered': [
    fact: {
      consumer: string;
      subject: string;
      eventId?: string;
      deliveryCount: number;
      reason: string;
    },
  ];
}

/**
 * Publish/subscribe with at-least-once delivery. Two adapters implement it: NATS JetStream for
 * the distributed mode and a local bus, persisted in an embedded database, for the embedded mode.
 */
export interface EventBus extends EventEmitter<BusEventMap> {
  /** Resolves once the bus has durably accepted the event; publishing an id twice stores it once. */
  publish(envelope: EventEnvelope): Promise<void>;
  /** Starts delivering to the handler, beginning with whatever this consumer has not acked yet. */
  subscribe(subscription: Subscription): Promise<void>;
  /** Resolves when the bus answers; used by `/readyz`. */
  ping(): Promise<void>;
  /** Stops delivering, lets handlers in progress finish, and disconnects. */
  close(): Promise<void>;
}
