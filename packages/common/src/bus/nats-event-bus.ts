import { EventEmitter } from 'node:events';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  StorageType,
  type ConsumerInfo,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { deliverOnce, reportDeadLetter } from './delivery.js';
import type { EventEnvelope } from '../events/envelope.js';
import { logger } from '../observability/logger.js';
import {
  backoffFor,
  defaultDeliveryPolicy,
  type BusEventMap,
  type DeliveryPolicy,
  type EventBus,
  type Subscription,
} from './event-bus.js';

export interface NatsEventBusOptions {
  url: string;
  /** Connection name, shown by the server's monitoring. */
  name?: string;
  /** One subject token that namespaces the streams and subjects; default `ticketing`. */
  prefix?: string;
  policy?: DeliveryPolicy;
  /** How long the server waits for an ack before redelivering; default 30 s. */
  ackWaitMs?: number;
}

/** Where the bus keeps things on the server for a prefix; one place, so tests and ops agree. */
export function natsNames(prefix: string) {
  const upper = prefix.toUpperCase();
  return {
    stream: upper,
    streamSubjects: `${prefix}.>`,
    deadLetterStream: `${upper}_DEADLETTER`,
    deadLetterSubjects: `${prefix}_deadletter.>`,
  };
}

/** `ticket:created` → `ticketing.ticket.created`: the colon is not a NATS token separator. */
export const natsSubject = (prefix: string, subject: string): string =>
  `${prefix}.${subject.replaceAll(':', '.')}`;

/** `${prefix}_deadletter.<consumer>.<subject tokens>`, e.g. `ticketing_deadletter.orders.ticket.created`. */
export const deadLetterSubject = (prefix: string, consumer: string, subject: string): string =>
  `${prefix}_deadletter.${consumer}.${subject.replaceAll(':', '.')}`;

/** Headers of a dead-letter message; its body is the original message's bytes, untouched. */
export const DeadLetterHeaders = {
  Consumer: 'Dead-Letter-Consumer',
  Subject: 'Dead-Letter-Subject',
  Reason: 'Dead-Letter-Reason',
  DeliveryCount: 'Dead-Letter-Delivery-Count',
  EventId: 'Dead-Letter-Event-Id',
  StreamSequence: 'Dead-Letter-Stream-Sequence',
} as const;

/** Messages a consume loop holds client-side. Small, because their ack_wait runs while they wait. */
const PULL_BATCH = 10;
/**
 * How long one pull request of a consume loop lasts before the client renews it (the server's
 * idle heartbeat comes every half of it). The client notices a server that stopped answering
 * after two missed heartbeats: with the library's default of 30 s that was 30 s of a paused
 * NATS (SIGSTOP) plus the reconnect (52 s measured); 5 s makes it about 5 s, for one small pull
 * request per consumer every 5 s.
 */
const PULL_EXPIRES_MS = 5_000;
/** Unacked messages (in flight or waiting for a nak delay) per durable across all replicas. */
const MAX_ACK_PENDING = 1_000;
/** Pause before a consume loop that ended unexpectedly starts again. */
const RESTART_DELAY_MS = 1_000;
/** A subject token, a stream name and a durable name all accept these. */
const TOKEN = /^[A-Za-z0-9_-]+$/;

interface Worker {
  subscription: Subscription;
  durable: string;
  /** The durable's ack_wait as the server has it (a reused durable may differ from our option). */
  ackWaitMs: number;
  messages: ConsumerMessages | undefined;
  loop: Promise<void>;
  /**
   * Pulled while closing and not handled. Handed back only once the loop has unsubscribed: a
   * nak before that could bring the message straight back to this very loop.
   */
  unhandled: JsMsg[];
}

/**
 * The distributed mode's bus: NATS JetStream. Events live in one stream per prefix; each
 * consumer+subject is a durable pull consumer that replicas share (queue semantics), so every
 * service gets every event while its replicas split the work. Delivery is at-least-once; the
 * redelivery count is the server's, and this class applies the delivery policy on top of it.
 */
export class NatsEventBus extends EventEmitter<BusEventMap> implements EventBus {
  private readonly workers = new Map<string, Worker>();
  private readonly names: ReturnType<typeof natsNames>;
  private closing = false;
  private closed: Promise<void> | undefined;
  /**
   * Whether to nak, at close, what was pulled but not handled, so another replica gets it at
   * once. Servers before 2.10.14 mishandle a redelivery that finds only pull requests whose
   * client is gone (nats-server#5305, #5338): the message then waits for ack_wait anyway and the
   * next one is delivered twice. There we leave such messages to ack_wait instead.
   */
  private readonly handBackOnClose: boolean;
  /** Resolves when close() starts, so waits between loop restarts end at once. */
  private readonly stopping: Promise<void>;
  private signalStopping!: () => void;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly prefix: string,
    private readonly policy: DeliveryPolicy,
    private readonly ackWaitMs: number,
  ) {
    super();
    this.names = natsNames(prefix);
    this.handBackOnClose = versionAtLeast(nc.info?.version, [2, 10, 14]);
    this.stopping = new Promise((resolve) => (this.signalStopping = resolve));
  }

  static async connect(options: NatsEventBusOptions): Promise<NatsEventBus> {
    const prefix = options.prefix ?? 'ticketing';
    if (!TOKEN.test(prefix)) throw new Error(`bus prefix must be one subject token: ${prefix}`);
    // Reconnect forever: a NATS restart must not take the service down; JetStream keeps the
    // messages and the durables their positions meanwhile.
    const nc = await connect({
      servers: options.url,
      name: options.name,
      maxReconnectAttempts: -1,
      // Try again soon after a server restart (the default waits 2 s between attempts), with
      // jitter so that every process of a deployment does not come back in the same instant.
      reconnectTimeWait: 250,
      reconnectJitter: 250,
      // A paused or unreachable server is noticed within about 10 s rather than 4 minutes.
      pingInterval: 5_000,
      maxPingOut: 2,
    });
    try {
      const jsm = await jetstreamManager(nc);
      const names = natsNames(prefix);
      await ensureStream(jsm, { name: names.stream, subjects: [names.streamSubjects] });
      await ensureStream(jsm, {
        name: names.deadLetterStream,
        subjects: [names.deadLetterSubjects],
      });
      return new NatsEventBus(
        nc,
        jetstream(nc),
        jsm,
        prefix,
        options.policy ?? defaultDeliveryPolicy,
        options.ackWaitMs ?? 30_000,
      );
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  async publish(envelope: EventEnvelope): Promise<void> {
    if (this.closing) throw new Error('bus is closed');
    const h = headers();
    h.set('traceparent', headerValue(envelope.traceparent));
    // msgID makes the server drop a second publish of the same event within its duplicate
    // window (2 minutes by default): an outbox relay that retries after a crash stores it once.
    const ack = await this.js.publish(
      natsSubject(this.prefix, envelope.subject),
      JSON.stringify(envelope),
      { msgID: envelope.id, headers: h },
    );
    if (ack.duplicate) return; // stored and announced the first time, as the local bus does
    this.emit('published', envelope);
  }

  async subscribe(subscription: Subscription): Promise<void> {
    if (this.closing) throw new Error('bus is closed');
    const { consumer, subject } = subscription;
    if (!TOKEN.test(consumer))
      throw new Error(`consumer name must be one subject token: ${consumer}`);
    const durable = `${consumer}_${subject.replaceAll(':', '_')}`;
    if (this.workers.has(durable)) throw new Error(`${consumer} already consumes ${subject}`);
    const info = await this.ensureConsumer(durable, subject);
    const worker: Worker = {
      subscription,
      durable,
      ackWaitMs: info.config.ack_wait ? Math.round(info.config.ack_wait / 1e6) : this.ackWaitMs,
      messages: undefined,
      loop: Promise.resolve(),
      unhandled: [],
    };
    this.workers.set(durable, worker);
    try {
      // Start consuming here rather than in the loop so a failure reaches the caller.
      worker.messages = await (
        await this.js.consumers.get(this.names.stream, durable)
      ).consume({ max_messages: PULL_BATCH, expires: PULL_EXPIRES_MS });
    } catch (error) {
      this.workers.delete(durable);
      throw error;
    }
    if (this.closing) {
      // close() ran while we were setting up and did not see this worker.
      worker.messages.close().catch(() => undefined);
      return;
    }
    worker.loop = this.run(worker);
  }

  async ping(): Promise<void> {
    if (this.closing) throw new Error('bus is closed');
    // A JetStream API round trip: proves the server answers and JetStream is enabled.
    await this.jsm.getAccountInfo();
  }

  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.signalStopping();
    // A round trip first, so messages the server has already sent us arrive before the
    // unsubscribe below rather than being dropped by it (and so left to wait for ack_wait).
    await this.nc.flush().catch(() => undefined);
    // Stop pulling; the loops finish the handler in progress and hand back what they buffered.
    for (const worker of this.workers.values()) {
      worker.messages?.close().catch(() => undefined);
    }
    await Promise.all([...this.workers.values()].map((w) => w.loop));
    this.workers.clear();
    try {
      // Drain flushes the acks and naks still in the outgoing buffer before closing.
      if (!this.nc.isClosed()) await this.nc.drain();
    } catch (error) {
      logger.warn({ err: error }, 'nats drain failed');
    }
  }

  /** Reuses the durable when it exists: replicas of a service share it. */
  private async ensureConsumer(durable: string, subject: string): Promise<ConsumerInfo> {
    const stream = this.names.stream;
    try {
      return await this.jsm.consumers.info(stream, durable);
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    }
    try {
      return await this.jsm.consumers.add(stream, {
        durable_name: durable,
        filter_subject: natsSubject(this.prefix, subject),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: this.ackWaitMs * 1e6, // nanoseconds
        // Unlimited on the server: the bus counts deliveries itself and dead-letters at the
        // policy's limit, which the server's max_deliver could not do (it just stops delivering).
        max_deliver: -1,
        max_ack_pending: MAX_ACK_PENDING,
      });
    } catch (error) {
      // Another replica may have created it between our info and add.
      try {
        return await this.jsm.consumers.info(stream, durable);
      } catch {
        throw error;
      }
    }
  }

  /**
   * One subscription's messages, one at a time. Never throws: a consume that ends while the bus
   * is open (the consumer was deleted, an unexpected server status) is started again.
   */
  private async run(worker: Worker): Promise<void> {
    const { consumer, subject } = worker.subscription;
    while (!this.closing) {
      try {
        worker.messages ??= await (
          await this.js.consumers.get(this.names.stream, worker.durable)
        ).consume({ max_messages: PULL_BATCH, expires: PULL_EXPIRES_MS });
        if (this.closing) worker.messages.close().catch(() => undefined);
        for await (const msg of worker.messages) {
          if (this.closing) {
            worker.unhandled.push(msg);
            continue;
          }
          await this.handle(worker, msg).catch((error: unknown) =>
            logger.error({ err: error, consumer, subject }, 'nats bus delivery failed'),
          );
        }
      } catch (error) {
        if (!this.closing) logger.error({ err: error, consumer, subject }, 'nats consume failed');
      }
      worker.messages = undefined;
      if (this.closing) break;
      logger.warn({ consumer, subject }, 'nats consume ended; starting again');
      await this.ensureConsumer(worker.durable, subject).catch(() => undefined);
      await Promise.race([delay(RESTART_DELAY_MS), this.stopping]);
    }
    for (const msg of worker.unhandled.splice(0)) this.handBack(msg);
  }

  /** A message this bus will not handle because it is closing: not the message's fault. */
  private handBack(msg: JsMsg): void {
    if (this.handBackOnClose) safely(() => msg.nak());
    // Otherwise the server redelivers it once ack_wait has passed.
  }

  private async handle(worker: Worker, msg: JsMsg): Promise<void> {
    const { consumer, subject } = worker.subscription;
    const deliveryCount = msg.info.deliveryCount;
    const outcome = await deliverOnce({
      subscription: worker.subscription,
      raw: msg.data,
      deliveryCount,
      policy: this.policy,
      closing: () => this.closing,
      around: (run) => keepingAlive(msg, worker.ackWaitMs, run),
    });
    switch (outcome.kind) {
      case 'closing':
        worker.unhandled.push(msg);
        return;
      case 'dead':
        await this.deadLetter(worker, msg, outcome.envelope, outcome.reason);
        return;
      case 'retry':
        safely(() => msg.nak(outcome.delayMs));
        this.emit('nacked', { consumer, subject, deliveryCount, error: outcome.error });
        return;
      case 'handled':
        break;
    }
    // A confirmed ack (a round trip per message): 'acked' then means the server will not deliver
    // the message to this consumer again, the same promise the local bus's log row gives.
    try {
      await msg.ackAck();
    } catch (error) {
      // The handler's effect stands; the redelivery after ack_wait meets the consumer's inbox.
      logger.warn(
        { err: error, consumer, subject, eventId: outcome.envelope.id },
        'ack not confirmed',
      );
      return;
    }
    this.emit('acked', { consumer, envelope: outcome.envelope, deliveryCount });
  }

  /** Copies the message to the dead-letter stream, then tells the server never to redeliver it. */
  private async deadLetter(
    worker: Worker,
    msg: JsMsg,
    envelope: EventEnvelope | undefined,
    reason: string,
  ): Promise<void> {
    const { consumer, subject } = worker.subscription;
    const deliveryCount = msg.info.deliveryCount;
    const eventId = envelope?.id ?? idOf(msg.data);
    const h = headers();
    h.set(DeadLetterHeaders.Consumer, consumer);
    h.set(DeadLetterHeaders.Subject, subject);
    h.set(DeadLetterHeaders.Reason, headerValue(reason));
    h.set(DeadLetterHeaders.DeliveryCount, String(deliveryCount));
    h.set(DeadLetterHeaders.StreamSequence, String(msg.info.streamSequence));
    if (eventId) h.set(DeadLetterHeaders.EventId, headerValue(eventId));
    try {
      await this.js.publish(deadLetterSubject(this.prefix, consumer, subject), msg.data, {
        headers: h,
        // Should we die between this publish and term(), the retry stores the copy only once.
        msgID: `${consumer}:${msg.info.streamSequence}`,
      });
    } catch (error) {
      // Without a copy we must not drop it: try again later (it comes back over the limit).
      logger.error({ err: error, consumer, subject, eventId }, 'dead-letter publish failed');
      safely(() => msg.nak(backoffFor(this.policy, deliveryCount)));
      this.emit('nacked', { consumer, subject, deliveryCount, error });
      return;
    }
    safely(() => msg.term());
    reportDeadLetter(this, {
      consumer,
      subject,
      eventId,
      deliveryCount,
      reason,
      seq: msg.info.streamSequence,
    });
  }
}

/** Creates the stream if missing; an existing one is left as its operator configured it. */
async function ensureStream(
  jsm: JetStreamManager,
  config: Pick<StreamConfig, 'name' | 'subjects'>,
): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    return;
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
  }
  try {
    await jsm.streams.add({ ...config, storage: StorageType.File });
  } catch (error) {
    // Another process may have created it meanwhile.
    await jsm.streams.info(config.name).catch(() => {
      throw error;
    });
  }
}

/**
 * Runs a handler while telling the server every half ack_wait that the message is still being
 * worked on, so a slow handler is not raced by a redelivery to another replica.
 */
async function keepingAlive<T>(msg: JsMsg, ackWaitMs: number, fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => safely(() => msg.working()), Math.max(ackWaitMs / 2, 500));
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/** Compares a server's `major.minor.patch` version with a minimum. */
function versionAtLeast(version: string | undefined, min: [number, number, number]): boolean {
  const parts = (version ?? '').split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) {
    const part = parts[i] ?? 0;
    if (Number.isNaN(part)) return false;
    if (part !== min[i]) return part > min[i]!;
  }
  return true;
}

const isApiError = (error: unknown, code: number): boolean =>
  error instanceof JetStreamApiError && error.code === code;

/** Ack, nak, term and working are fire-and-forget; on a closed connection they throw. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    logger.warn({ err: error }, 'nats ack signal not sent');
  }
}

/** Header values are one line and should stay small; zod's messages are neither. */
const headerValue = (value: string): string => value.replace(/\s+/g, ' ').trim().slice(0, 1_000);

/** The event id of a message that failed validation, when it is JSON with a string id at least. */
function idOf(data: Uint8Array): string | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(data)) as { id?: unknown } | null;
    return typeof value?.id === 'string' ? value.id : undefined;
  } catch {
    return undefined;
  }
}

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });
