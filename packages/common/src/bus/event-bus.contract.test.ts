import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startTestEmbeddedServer,
  type TestEmbeddedServer,
} from '../../../../test-support/embedded.js';
import { hasNats, NATS_URL, uniqueName } from '../../../../test-support/servers.js';
import { openPostgres } from '../db/postgres-database.js';
import { createEnvelope, type EventEnvelope } from '../events/envelope.js';
import type { EventData } from '../events/schemas.js';
import { Subjects } from '../events/subjects.js';
import { contextFrom, currentContext, runInContext } from '../observability/request-context.js';
import type { BusEventMap, DeliveryPolicy, EventBus, EventHandler } from './event-bus.js';
import { LocalEventBus } from './local-event-bus.js';
import { DeadLetterHeaders, NatsEventBus, natsNames, natsSubject } from './nats-event-bus.js';

/** Short enough that retries and dead-lettering happen within a test's lifetime. */
const policy: DeliveryPolicy = { maxDeliveries: 3, backoffMs: [20, 50] };

/**
 * One environment per test: `open()` starts a bus on the same durable state each time, so a
 * second `open()` after closing the first is a restart of the service.
 */
interface Env {
  open(): Promise<EventBus>;
  dispose(): Promise<void>;
}

interface Adapter {
  name: string;
  available: boolean;
  create(): Promise<Env>;
  /** After the adapter's last test. */
  teardown(): Promise<void>;
}

// The local bus runs where the embedded mode runs it: on the embedded PostgreSQL server, one
// server for the file (starting one takes a second or more), a database of its own per test.
let server: Promise<TestEmbeddedServer> | undefined;

const adapters: Adapter[] = [
  {
    name: 'local',
    available: true,
    async create() {
      const db = await openPostgres(
        (await (server ??= startTestEmbeddedServer())).urlFor(uniqueName('bus')),
      );
      return {
        open: () => LocalEventBus.open(db, policy),
        dispose: () => db.close(),
      };
    },
    async teardown() {
      await (await server)?.stop();
      server = undefined;
    },
  },
  {
    name: 'nats',
    available: hasNats,
    async create() {
      // A prefix of its own per test: streams and durables are never shared between tests.
      const prefix = uniqueName('bustest');
      return {
        // A short ack_wait: on servers before 2.10.14 what a closed bus had pulled but not
        // handled comes back only once ack_wait has passed (see NatsEventBus.handBackOnClose).
        open: () =>
          NatsEventBus.connect({ url: NATS_URL, name: prefix, prefix, policy, ackWaitMs: 2_000 }),
        dispose: () => deleteStreams(prefix),
      };
    },
    async teardown() {},
  },
];

async function deleteStreams(prefix: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const names = natsNames(prefix);
    for (const stream of [names.stream, names.deadLetterStream]) {
      await jsm.streams.delete(stream).catch(() => false);
    }
  } finally {
    await nc.close();
  }
}

type Fact = { [K in keyof BusEventMap]: { type: K } & BusEventMap[K][0] }[keyof BusEventMap];

/** Every fact the buses of a test report, in order, and a way to wait until some have happened. */
class Facts {
  readonly log: Fact[] = [];
  private readonly waiters = new Set<() => void>();

  watch(bus: EventBus): void {
    bus.on('published', (envelope) => this.add({ type: 'published', ...envelope }));
    bus.on('acked', (fact) => this.add({ type: 'acked', ...fact }));
    bus.on('nacked', (fact) => this.add({ type: 'nacked', ...fact }));
    bus.on('dead-lettered', (fact) => this.add({ type: 'dead-lettered', ...fact }));
  }

  acked(consumer?: string) {
    return this.log.filter(
      (f): f is Extract<Fact, { type: 'acked' }> =>
        f.type === 'acked' && (consumer === undefined || f.consumer === consumer),
    );
  }

  deadLettered() {
    return this.log.filter(
      (f): f is Extract<Fact, { type: 'dead-lettered' }> => f.type === 'dead-lettered',
    );
  }

  ackedIds(consumer?: string): string[] {
    return this.acked(consumer).map((f) => f.envelope.id);
  }

  /** Resolves once `done()` holds; rejects with `what` if it does not within the deadline. */
  until(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting until ${what}; facts: ${JSON.stringify(this.log)}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  private add(fact: Fact): void {
    this.log.push(fact);
    for (const check of [...this.waiters]) check();
  }
}

const ticket = (title: string): EventData<typeof Subjects.TicketCreated> => ({
  id: `t-${title}`,
  title,
  price: 1_000,
  userId: 'u-1',
  status: 'available',
  orderId: null,
  version: 0,
});

const ticketCreated = (title: string) => createEnvelope(Subjects.TicketCreated, ticket(title));

/** Subscribes `handler` to ticket:created as the consumer 'orders': what most cases need. */
const subscribeOrders = (bus: EventBus, handler: EventHandler) =>
  bus.subscribe({ consumer: 'orders', subject: Subjects.TicketCreated, handler });

/** Records what a handler saw, optionally doing more per envelope. */
function recorder(then?: EventHandler) {
  const seen: { id: string; deliveryCount: number }[] = [];
  const handler: EventHandler = async (envelope, info) => {
    seen.push({ id: envelope.id, deliveryCount: info.deliveryCount });
    await then?.(envelope, info);
  };
  return { seen, handler, ids: () => seen.map((s) => s.id) };
}

describe.each(adapters)('EventBus contract: $name adapter', (adapter) => {
  let env: Env | undefined;
  let facts: Facts;
  const buses: EventBus[] = [];

  const open = async () => {
    const bus = await env!.open();
    buses.push(bus);
    facts.watch(bus);
    return bus;
  };

  beforeEach(async (ctx) => {
    if (!adapter.available) ctx.skip();
    facts = new Facts();
    env = await adapter.create();
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    await env?.dispose();
    env = undefined;
  });

  afterAll(() => adapter.teardown());

  it('when two services consume one subject, then each gets every message exactly once', async () => {
    const bus = await open();
    const orders = recorder();
    const payments = recorder();
    await subscribeOrders(bus, orders.handler);
    await bus.subscribe({
      consumer: 'payments',
      subject: Subjects.TicketCreated,
      handler: payments.handler,
    });

    const sent = [ticketCreated('a'), ticketCreated('b'), ticketCreated('c')];
    for (const e of sent) await bus.publish(e);
    await facts.until('both consumers acked all three', () => facts.acked().length === 6);
    // A last message: a duplicate of an earlier one would be delivered before it.
    const last = ticketCreated('last');
    await bus.publish(last);
    await facts.until('both consumers acked the last', () => facts.acked().length === 8);

    const expected = [...sent, last].map((e) => e.id);
    expect(orders.ids()).toEqual(expected);
    expect(payments.ids()).toEqual(expected);
  });

  it('when a handler throws, then the message comes again later and is acked', async () => {
    const bus = await open();
    const handler = recorder(async (_e, info) => {
      if (info.deliveryCount === 1) throw new Error('transient');
    });
    await subscribeOrders(bus, handler.handler);

    const e = ticketCreated('retry');
    await bus.publish(e);
    await facts.until('acked', () => facts.acked().length === 1);

    expect(handler.seen).toEqual([
      { id: e.id, deliveryCount: 1 },
      { id: e.id, deliveryCount: 2 },
    ]);
    expect(facts.acked()[0]).toMatchObject({ consumer: 'orders', deliveryCount: 2 });
    expect(facts.log.filter((f) => f.type === 'nacked')).toHaveLength(1);
  });

  it('when a consumer restarts, then nothing published meanwhile is lost and nothing acked comes again', async () => {
    const first = await open();
    const before = recorder();
    await subscribeOrders(first, before.handler);
    const early = [ticketCreated('e1'), ticketCreated('e2')];
    for (const e of early) await first.publish(e);
    await facts.until('the early ones acked', () => facts.acked().length === 2);
    await first.close();

    // The consumer is down; another instance (the producing service) publishes.
    const second = await open();
    const late = [ticketCreated('l1'), ticketCreated('l2'), ticketCreated('l3')];
    for (const e of late) await second.publish(e);

    const after = recorder();
    await subscribeOrders(second, after.handler);
    await facts.until('the late ones acked', () => facts.acked().length === 5);

    expect(before.ids()).toEqual(early.map((e) => e.id));
    expect(after.ids()).toEqual(late.map((e) => e.id));
  });

  it('when the bus closes during a handler, then the handler finishes and the rest comes after the restart', async () => {
    const first = await open();
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const before = recorder(async () => {
      started();
      await gate;
    });
    const sent = [ticketCreated('c1'), ticketCreated('c2'), ticketCreated('c3')];
    for (const e of sent) await first.publish(e);
    await subscribeOrders(first, before.handler);

    await handlerStarted;
    const closing = first.close();
    release();
    await closing;
    // close() waited for the handler in progress, which was acked; nothing else was handled.
    expect(before.ids()).toEqual([sent[0]!.id]);
    expect(facts.ackedIds()).toEqual([sent[0]!.id]);

    // What the closed bus had pulled but not handled goes to the next instance.
    const second = await open();
    const after = recorder();
    await subscribeOrders(second, after.handler);
    await facts.until('the rest acked', () => facts.acked().length === 3);
    expect(after.ids()).toEqual([sent[1]!.id, sent[2]!.id]);
  });

  it('when the same envelope is published twice, then it is delivered once', async () => {
    const bus = await open();
    const handler = recorder();
    await subscribeOrders(bus, handler.handler);

    const e = ticketCreated('dup');
    await bus.publish(e);
    await bus.publish(e);
    const marker = ticketCreated('marker');
    await bus.publish(marker);
    await facts.until('the marker acked', () => facts.ackedIds().includes(marker.id));

    expect(handler.ids()).toEqual([e.id, marker.id]);
    expect(facts.log.filter((f) => f.type === 'published')).toHaveLength(2);
  });

  it('when a message keeps failing, then it is dead-lettered at the limit while later messages keep flowing', async () => {
    const bus = await open();
    const poison = ticketCreated('poison');
    const good = [ticketCreated('g1'), ticketCreated('g2'), ticketCreated('g3')];
    // Published before subscribing so all four are waiting, in order, when delivery starts.
    for (const e of [poison, ...good]) await bus.publish(e);

    const goodAckedAtPoisonRetry: number[] = [];
    const handler = recorder(async (envelope, info) => {
      if (envelope.id !== poison.id) return;
      if (info.deliveryCount > 1) goodAckedAtPoisonRetry.push(facts.acked().length);
      throw new Error('poisoned');
    });
    await subscribeOrders(bus, handler.handler);
    await facts.until('the poison dead-lettered', () => facts.deadLettered().length === 1);

    expect(facts.deadLettered()[0]).toMatchObject({
      consumer: 'orders',
      subject: Subjects.TicketCreated,
      eventId: poison.id,
      deliveryCount: policy.maxDeliveries,
      reason: 'poisoned',
    });
    expect(handler.seen.filter((s) => s.id === poison.id)).toHaveLength(policy.maxDeliveries);
    // Every good message was acked before the poison's first retry: it blocked none of them.
    expect(goodAckedAtPoisonRetry).toEqual([3, 3]);
    expect(facts.ackedIds()).toEqual(good.map((e) => e.id));

    // The consumer carries on after giving up.
    const after = ticketCreated('after');
    await bus.publish(after);
    await facts.until('the next message acked', () => facts.ackedIds().includes(after.id));
    expect(handler.seen.filter((s) => s.id === poison.id)).toHaveLength(policy.maxDeliveries);
  });

  it('when a payload fails its schema, then it is dead-lettered at once and the next message is handled', async () => {
    const bus = await open();
    const handler = recorder();
    await subscribeOrders(bus, handler.handler);

    const bad = {
      ...ticketCreated('bad'),
      data: { ...ticket('bad'), price: -5 },
    } as EventEnvelope;
    const next = ticketCreated('next');
    await bus.publish(bad);
    await bus.publish(next);
    await facts.until('the next one acked', () => facts.ackedIds().includes(next.id));
    await facts.until('the bad one dead-lettered', () => facts.deadLettered().length === 1);

    expect(facts.deadLettered()[0]).toMatchObject({
      consumer: 'orders',
      subject: Subjects.TicketCreated,
      deliveryCount: 1,
    });
    expect(facts.deadLettered()[0]!.reason).toMatch(/payload/);
    expect(handler.ids()).toEqual([next.id]);
  });

  it('when a handler runs, then it continues the trace of the request that published the event', async () => {
    const bus = await open();
    let resolveSeen: (traceId: string | undefined) => void;
    const seen = new Promise<string | undefined>((resolve) => (resolveSeen = resolve));
    await subscribeOrders(bus, async () => resolveSeen(currentContext()?.traceId));

    const request = contextFrom();
    const e = runInContext(request, () => ticketCreated('traced'));
    await bus.publish(e);

    expect(await seen).toBe(request.traceId);
  });
});

describe.skipIf(!hasNats)('NatsEventBus', () => {
  const prefix = uniqueName('bustest_nats');
  let bus: NatsEventBus;
  let nc: NatsConnection;

  beforeEach(async () => {
    bus = await NatsEventBus.connect({ url: NATS_URL, prefix, policy });
    nc = await connect({ servers: NATS_URL });
  });

  afterEach(async () => {
    await bus.close();
    await nc.close();
  });

  afterAll(async () => {
    await deleteStreams(prefix);
  });

  it('when raw non-JSON bytes arrive, then they go to the dead-letter stream with the reason', async () => {
    const deadLettered = new Promise<BusEventMap['dead-lettered'][0]>((resolve) =>
      bus.once('dead-lettered', resolve),
    );
    const acked = new Promise<BusEventMap['acked'][0]>((resolve) => bus.once('acked', resolve));
    await subscribeOrders(bus, async () => {});

    const raw = new TextEncoder().encode('not json {');
    await jetstream(nc).publish(natsSubject(prefix, Subjects.TicketCreated), raw);
    const next = ticketCreated('after-garbage');
    await bus.publish(next);

    expect(await deadLettered).toMatchObject({ consumer: 'orders', deliveryCount: 1 });
    expect((await acked).envelope.id).toBe(next.id);

    const jsm = await jetstreamManager(nc);
    const stored = await jsm.streams.getMessage(natsNames(prefix).deadLetterStream, { seq: 1 });
    expect(stored?.subject).toBe(`${prefix}_deadletter.orders.ticket.created`);
    expect(new TextDecoder().decode(stored?.data)).toBe('not json {');
    expect(stored?.header.get(DeadLetterHeaders.Reason)).toBe('message is not JSON');
    expect(stored?.header.get(DeadLetterHeaders.Consumer)).toBe('orders');
    expect(stored?.header.get(DeadLetterHeaders.Subject)).toBe(Subjects.TicketCreated);
    expect(stored?.header.get(DeadLetterHeaders.DeliveryCount)).toBe('1');
  });

  it('when the server answers, then ping resolves; after close it rejects', async () => {
    await expect(bus.ping()).resolves.toBeUndefined();
    await bus.close();
    await expect(bus.ping()).rejects.toThrow(/closed/);
  });
});
