import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  NATS_URL,
  deleteNatsStreams,
  dropDatabase,
  hasNats,
  hasPostgres,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../../../test-support/servers.js';
import { eventually } from '../../../../test-support/http.js';
import { runUntilKilled } from '../../../../test-support/processes.js';
import type { EventBus } from '../bus/event-bus.js';
import { LocalEventBus } from '../bus/local-event-bus.js';
import { NatsEventBus } from '../bus/nats-event-bus.js';
import type { Database, Queryable } from '../db/database.js';
import { openPostgres } from '../db/postgres-database.js';
import type { EventEnvelope } from '../events/envelope.js';
import type { EventData } from '../events/schemas.js';
import { Subjects } from '../events/subjects.js';
import { ServiceRuntime } from '../service/service-runtime.js';
import { fixtureMigrations } from './fixtures/fixture-migrations.js';
import { Listener } from './listener.js';
import { Publisher } from './publisher.js';

class UserCreatedPublisher extends Publisher<typeof Subjects.UserCreated> {
  readonly subject = Subjects.UserCreated;
}

/** Records each user name it is told about: an effect that must happen once per event. */
class NamesListener extends Listener<typeof Subjects.UserCreated> {
  readonly subject = Subjects.UserCreated;
  async onMessage(data: EventData<typeof Subjects.UserCreated>, tx: Queryable) {
    await tx.query('INSERT INTO names_seen (user_id, name) VALUES ($1, $2)', [data.id, data.name]);
  }
}

const fixture = fileURLToPath(new URL('./fixtures/commit-then-die.ts', import.meta.url));

const waitForAck = (bus: EventBus, consumer: string, eventId?: string) =>
  new Promise<EventEnvelope>((resolve) => {
    const onAck = (fact: { consumer: string; envelope: EventEnvelope }) => {
      if (fact.consumer === consumer && (!eventId || fact.envelope.id === eventId)) {
        bus.off('acked', onAck);
        resolve(fact.envelope);
      }
    };
    bus.on('acked', onAck);
  });

interface Setup {
  name: string;
  enabled: boolean;
  /** A place for a service database that a child process can open too. */
  target: () => Promise<string>;
  open: (target: string) => Promise<Database>;
  bus: () => Promise<{ bus: EventBus; remove: () => Promise<void> }>;
  cleanup: (target: string) => Promise<void>;
}

const setups: Setup[] = [
  {
    name: 'PostgreSQL and the local bus (the embedded wiring)',
    enabled: hasPostgres,
    target: async () => uniqueDatabaseUrl('outbox'),
    open: (url) => openPostgres(url),
    bus: async () => {
      const url = uniqueDatabaseUrl('outbox_bus');
      const db = await openPostgres(url);
      return {
        bus: await LocalEventBus.open(db),
        remove: async () => {
          await db.close();
          await dropDatabase(url);
        },
      };
    },
    cleanup: (url) => dropDatabase(url),
  },
  {
    name: 'PostgreSQL and NATS JetStream',
    enabled: hasPostgres && hasNats,
    target: async () => uniqueDatabaseUrl('outbox'),
    open: (url) => openPostgres(url),
    bus: async () => {
      const prefix = uniqueName('outbox');
      const bus = await NatsEventBus.connect({ url: NATS_URL, prefix });
      return { bus, remove: () => deleteNatsStreams(prefix) };
    },
    cleanup: (url) => dropDatabase(url),
  },
];

describe.each(setups)(
  'outbox and inbox on $name',
  ({ enabled, target, open, bus: openBus, cleanup }) => {
    const toClean: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const clean of toClean.reverse()) await clean();
    });

    async function service() {
      const where = await target();
      const db = await open(where);
      const { bus, remove } = await openBus();
      toClean.push(() => cleanup(where));
      toClean.push(() => db.close());
      toClean.push(remove);
      toClean.push(() => bus.close());
      return { where, db, bus };
    }

    it.runIf(enabled)(
      'when a change commits, then its event is published promptly, not on the poll',
      async () => {
        const { db, bus } = await service();
        const runtime = await ServiceRuntime.create('svc', { db, bus }, fixtureMigrations, {
          relayPollMs: 3_600_000,
        });
        await runtime.start();
        toClean.push(() => runtime.stop());
        const listener = new NamesListener(runtime.db, 'names');
        await listener.listen(bus);
        const acked = waitForAck(bus, 'names');
        const id = crypto.randomUUID();
        await runtime.db.transaction(async (tx) => {
          await tx.query('INSERT INTO accounts (id, name) VALUES ($1, $2)', [id, 'Ada']);
          await new UserCreatedPublisher().publish(tx, { id, name: 'Ada', version: 0 });
        });
        expect((await acked).data).toEqual({ id, name: 'Ada', version: 0 });
        // The relay marks the row sent after the bus took the event, so a fast consumer can ack
        // first; the poll (an hour away) never ran either way.
        const sent = await eventually(
          () => db.query<{ sent_at: Date | null }>('SELECT sent_at FROM outbox'),
          ({ rows }) => rows[0]?.sent_at instanceof Date,
          5_000,
        );
        expect(sent.rows).toEqual([{ sent_at: expect.any(Date) }]);
      },
    );

    it.runIf(enabled)(
      'when the transaction rolls back, then neither the change nor the event exists',
      async () => {
        const { db, bus } = await service();
        const runtime = await ServiceRuntime.create('svc', { db, bus }, fixtureMigrations);
        await expect(
          runtime.db.transaction(async (tx) => {
            await new UserCreatedPublisher().publish(tx, { id: 'u1', name: 'Ada', version: 0 });
            throw new Error('validation failed later');
          }),
        ).rejects.toThrow();
        expect((await db.query('SELECT 1 FROM outbox')).rowCount).toBe(0);
      },
    );

    it.runIf(enabled)(
      'when an event payload breaks its schema, then publishing it fails the transaction',
      async () => {
        const { db, bus } = await service();
        const runtime = await ServiceRuntime.create('svc', { db, bus }, fixtureMigrations);
        await expect(
          runtime.db.transaction((tx) =>
            new UserCreatedPublisher().publish(tx, { id: 'u1', name: '', version: -1 }),
          ),
        ).rejects.toThrow();
        expect((await db.query('SELECT 1 FROM outbox')).rowCount).toBe(0);
      },
    );

    it.runIf(enabled)(
      'when the process is killed after commit and before publishing, then the event goes out after restart',
      async () => {
        const { where, bus } = await service();
        const userId = crypto.randomUUID();
        expect(await runUntilKilled(fixture, [where, userId])).toBe('SIGKILL');

        // The restarted service: same database, the relay picks up what the dead one left.
        const db = await open(where);
        toClean.push(() => db.close());
        const before = await db.query<{ sent_at: Date | null }>('SELECT sent_at FROM outbox');
        expect(before.rows).toEqual([{ sent_at: null }]);
        const listener = new NamesListener(db, 'names');
        await listener.listen(bus);
        const acked = waitForAck(bus, 'names');
        const runtime = await ServiceRuntime.create('svc', { db, bus }, fixtureMigrations, {
          relayPollMs: 3_600_000,
        });
        await runtime.start();
        toClean.push(() => runtime.stop());
        expect((await acked).data).toEqual({ id: userId, name: 'Grace', version: 0 });
        const { rows } = await db.query('SELECT name FROM names_seen WHERE user_id = $1', [userId]);
        expect(rows).toEqual([{ name: 'Grace' }]);
      },
    );

    it.runIf(enabled)(
      'when an event is delivered again, then the inbox lets it take effect once',
      async () => {
        const { db, bus } = await service();
        const runtime = await ServiceRuntime.create('svc', { db, bus }, fixtureMigrations);
        const listener = new NamesListener(runtime.db, 'names');
        // The first delivery applies and commits, then "crashes" before the ack: the bus redelivers.
        let deliveries = 0;
        await bus.subscribe({
          consumer: 'names',
          subject: Subjects.UserCreated,
          handler: async (envelope) => {
            deliveries += 1;
            await listener.handle(envelope as EventEnvelope<typeof Subjects.UserCreated>);
            if (deliveries === 1) throw new Error('lost the ack');
          },
        });
        await runtime.start();
        toClean.push(() => runtime.stop());
        const acked = waitForAck(bus, 'names');
        const id = crypto.randomUUID();
        await runtime.db.transaction((tx) =>
          new UserCreatedPublisher().publish(tx, { id, name: 'Lin', version: 0 }),
        );
        await acked;
        expect(deliveries).toBe(2);
        const { rows } = await db.query('SELECT name FROM names_seen WHERE user_id = $1', [id]);
        expect(rows).toEqual([{ name: 'Lin' }]);
      },
    );
  },
);
